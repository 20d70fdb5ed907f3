/* Generated from openapi/runpod-rest-v2.openapi.json by scripts/rest-codegen.mjs. Do not edit. */
/** The request-body schemas of the REST v2 document, for checks before sending. */
export const requestSchemas: Readonly<Record<string, unknown>> = {
 "BaseContainerConfig": {
  "type": "object",
  "properties": {
   "args": {
    "type": "string"
   },
   "disk": {
    "type": "integer",
    "minimum": 1
   },
   "env": {
    "type": "object",
    "additionalProperties": {
     "type": "string"
    }
   },
   "image": {
    "type": "string"
   },
   "ports": {
    "type": "array",
    "items": {
     "type": "string"
    }
   }
  }
 },
 "BaseCpuConfig": {
  "type": "object",
  "required": [
   "id",
   "vcpuCount"
  ],
  "properties": {
   "id": {
    "type": "string",
    "minLength": 1
   },
   "vcpuCount": {
    "type": "integer",
    "minimum": 2
   }
  }
 },
 "BaseEndpointGpuConfig": {
  "type": "object",
  "properties": {
   "pools": {
    "type": "array",
    "minItems": 1,
    "items": {
     "type": "string"
    }
   },
   "excludedTypes": {
    "type": "array",
    "uniqueItems": true,
    "items": {
     "type": "string",
     "pattern": "^\\s*[^-\\s]"
    }
   },
   "count": {
    "type": "integer",
    "minimum": 1
   }
  }
 },
 "BillingBucketSize": {
  "type": "string",
  "enum": [
   "hour",
   "day",
   "week",
   "month",
   "year"
  ]
 },
 "CatalogInclude": {
  "type": "string",
  "enum": [
   "AVAILABILITY"
  ]
 },
 "Cloud": {
  "type": "string",
  "enum": [
   "SECURE",
   "COMMUNITY"
  ]
 },
 "ClusterCompute": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "gpuTypeId",
   "gpuCountPerPod",
   "podCount"
  ],
  "properties": {
   "gpuTypeId": {
    "type": "string",
    "minLength": 1
   },
   "gpuCountPerPod": {
    "type": "integer",
    "minimum": 1
   },
   "podCount": {
    "type": "integer",
    "minimum": 2,
    "maximum": 250
   }
  }
 },
 "ClusterType": {
  "type": "string",
  "enum": [
   "APPLICATION",
   "TRAINING",
   "SLURM",
   "RAY"
  ]
 },
 "Compliance": {
  "type": "string",
  "enum": [
   "GDPR",
   "ISO_IEC_27001",
   "ISO_14001",
   "PCI_DSS",
   "HITRUST",
   "SOC_1_TYPE_2",
   "SOC_2_TYPE_2",
   "SOC_3_TYPE_2",
   "ITAR",
   "FISMA_HIGH",
   "HIPAA",
   "RENEWABLE"
  ]
 },
 "ContainerConfig": {
  "allOf": [
   {
    "$ref": "#/components/schemas/BaseContainerConfig"
   },
   {
    "type": "object",
    "properties": {
     "registry": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   }
  ]
 },
 "CpuProduct": {
  "type": "string",
  "enum": [
   "POD",
   "SERVERLESS"
  ]
 },
 "CreateClusterRequest": {
  "allOf": [
   {
    "$ref": "#/components/schemas/BaseContainerConfig"
   },
   {
    "type": "object",
    "required": [
     "name",
     "type",
     "compute"
    ],
    "properties": {
     "compute": {
      "$ref": "#/components/schemas/ClusterCompute"
     },
     "name": {
      "type": "string",
      "minLength": 1
     },
     "type": {
      "$ref": "#/components/schemas/ClusterType"
     },
     "dataCenterIds": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "mounts": {
      "$ref": "#/components/schemas/Mounts"
     },
     "startJupyter": {
      "type": "boolean"
     },
     "startSsh": {
      "type": "boolean"
     }
    }
   }
  ],
  "unevaluatedProperties": false
 },
 "CreateCpuConfig": {
  "allOf": [
   {
    "$ref": "#/components/schemas/BaseCpuConfig"
   }
  ],
  "unevaluatedProperties": false
 },
 "CreateDelegationRequest": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "resource"
  ],
  "properties": {
   "resource": {
    "type": "string"
   },
   "name": {
    "type": [
     "string",
     "null"
    ]
   }
  }
 },
 "CreateEndpointGpuConfig": {
  "allOf": [
   {
    "$ref": "#/components/schemas/BaseEndpointGpuConfig"
   },
   {
    "type": "object",
    "required": [
     "pools"
    ],
    "properties": {
     "allowedCudaVersions": {
      "type": "array",
      "items": {
       "type": "string",
       "pattern": "^\\d+\\.\\d+$"
      }
     },
     "minCudaVersion": {
      "type": "string",
      "pattern": "^\\d+\\.\\d+$"
     }
    }
   }
  ],
  "unevaluatedProperties": false
 },
 "CreateEndpointRequest": {
  "allOf": [
   {
    "$ref": "#/components/schemas/ContainerConfig"
   },
   {
    "if": {
     "not": {
      "required": [
       "templateId"
      ]
     }
    },
    "then": {
     "required": [
      "image"
     ]
    }
   },
   {
    "type": "object",
    "required": [
     "name",
     "type",
     "scaling"
    ],
    "properties": {
     "gpu": {
      "$ref": "#/components/schemas/CreateEndpointGpuConfig"
     },
     "name": {
      "type": "string",
      "minLength": 1
     },
     "scaling": {
      "$ref": "#/components/schemas/EndpointScaling"
     },
     "type": {
      "allOf": [
       {
        "$ref": "#/components/schemas/EndpointType"
       }
      ]
     },
     "cpu": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {
       "$ref": "#/components/schemas/CreateCpuConfig"
      }
     },
     "dataCenterIds": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "flashboot": {
      "allOf": [
       {
        "$ref": "#/components/schemas/FlashBoot"
       }
      ]
     },
     "networkVolumes": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "templateId": {
      "type": "string",
      "minLength": 1
     },
     "timeout": {
      "type": "integer"
     },
     "workers": {
      "allOf": [
       {
        "$ref": "#/components/schemas/EndpointWorkers"
       }
      ],
      "properties": {
       "min": {
        "type": "integer"
       },
       "max": {
        "type": "integer"
       },
       "idleTimeout": {
        "type": "integer"
       }
      }
     }
    }
   }
  ],
  "unevaluatedProperties": false,
  "if": {
   "required": [
    "type"
   ],
   "properties": {
    "type": {
     "const": "LOAD_BALANCER"
    }
   }
  },
  "then": {
   "properties": {
    "scaling": {
     "$ref": "#/components/schemas/RequestCountScaling"
    }
   }
  }
 },
 "CreateGpuConfig": {
  "allOf": [
   {
    "$ref": "#/components/schemas/GpuConfig"
   },
   {
    "type": "object",
    "properties": {
     "allowedCudaVersions": {
      "type": "array",
      "items": {
       "type": "string",
       "pattern": "^\\d+\\.\\d+$"
      }
     },
     "minCudaVersion": {
      "type": "string",
      "pattern": "^\\d+\\.\\d+$"
     }
    }
   }
  ],
  "unevaluatedProperties": false
 },
 "CreateNetworkVolumeRequest": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "name",
   "size",
   "dataCenter"
  ],
  "properties": {
   "dataCenter": {
    "type": "string",
    "minLength": 1
   },
   "name": {
    "type": "string",
    "minLength": 1
   },
   "size": {
    "type": "integer",
    "minimum": 10,
    "maximum": 4096
   },
   "type": {
    "allOf": [
     {
      "$ref": "#/components/schemas/VolumeType"
     }
    ]
   }
  }
 },
 "CreatePodRequest": {
  "allOf": [
   {
    "$ref": "#/components/schemas/ContainerConfig"
   },
   {
    "type": "object",
    "required": [
     "name"
    ],
    "properties": {
     "name": {
      "type": "string",
      "minLength": 1
     },
     "cloud": {
      "allOf": [
       {
        "$ref": "#/components/schemas/Cloud"
       }
      ]
     },
     "cpu": {
      "$ref": "#/components/schemas/CreateCpuConfig"
     },
     "dataCenterIds": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "globalNetworking": {
      "type": "boolean"
     },
     "gpu": {
      "$ref": "#/components/schemas/CreateGpuConfig"
     },
     "mounts": {
      "$ref": "#/components/schemas/Mounts"
     },
     "startJupyter": {
      "type": "boolean"
     },
     "startSsh": {
      "type": "boolean"
     },
     "templateId": {
      "type": "string",
      "minLength": 1
     }
    }
   }
  ],
  "unevaluatedProperties": false,
  "if": {
   "not": {
    "required": [
     "templateId"
    ]
   }
  },
  "then": {
   "required": [
    "image"
   ]
  }
 },
 "CreateRegistryRequest": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "name",
   "username",
   "password"
  ],
  "properties": {
   "name": {
    "type": "string",
    "minLength": 1
   },
   "password": {
    "type": "string",
    "minLength": 1
   },
   "username": {
    "type": "string",
    "minLength": 1
   }
  }
 },
 "CreateTemplateRequest": {
  "allOf": [
   {
    "$ref": "#/components/schemas/ContainerConfig"
   },
   {
    "type": "object",
    "required": [
     "name",
     "image"
    ],
    "properties": {
     "name": {
      "type": "string",
      "minLength": 1
     },
     "allowedCudaVersions": {
      "type": "array",
      "items": {
       "type": "string",
       "pattern": "^\\d+\\.\\d+$"
      }
     },
     "category": {
      "allOf": [
       {
        "$ref": "#/components/schemas/TemplateCategory"
       }
      ]
     },
     "mounts": {
      "$ref": "#/components/schemas/TemplateMounts"
     },
     "public": {
      "type": "boolean"
     },
     "serverless": {
      "type": "boolean"
     },
     "startJupyter": {
      "type": "boolean"
     },
     "startSsh": {
      "type": "boolean"
     }
    }
   }
  ],
  "unevaluatedProperties": false
 },
 "DataCenterInclude": {
  "type": "string",
  "enum": [
   "GPU_AVAILABILITY",
   "CPU_AVAILABILITY"
  ]
 },
 "DataCenterRegion": {
  "type": "string",
  "enum": [
   "NORTH_AMERICA",
   "SOUTH_AMERICA",
   "EUROPE",
   "ASIA",
   "MIDDLE_EAST",
   "AFRICA",
   "OCEANIA",
   "ANTARCTICA",
   "UNKNOWN"
  ]
 },
 "EndpointScaling": {
  "oneOf": [
   {
    "$ref": "#/components/schemas/QueueDelayScaling"
   },
   {
    "$ref": "#/components/schemas/RequestCountScaling"
   }
  ]
 },
 "EndpointType": {
  "type": "string",
  "enum": [
   "QUEUE",
   "LOAD_BALANCER"
  ]
 },
 "EndpointWorkers": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "min": {
    "type": "integer",
    "minimum": 0
   },
   "max": {
    "type": "integer",
    "minimum": 0
   },
   "idleTimeout": {
    "type": "integer",
    "minimum": 1,
    "maximum": 3600
   }
  }
 },
 "FlashBoot": {
  "type": "string",
  "enum": [
   "OFF",
   "FLASHBOOT",
   "PRIORITY_FLASHBOOT"
  ]
 },
 "GpuCloudFilter": {
  "type": "string",
  "enum": [
   "SECURE",
   "COMMUNITY"
  ]
 },
 "GpuConfig": {
  "type": "object",
  "required": [
   "id"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "count": {
    "type": "integer",
    "minimum": 1
   }
  }
 },
 "LogSource": {
  "type": "string",
  "enum": [
   "container",
   "system"
  ]
 },
 "Mounts": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "persistent": {
    "$ref": "#/components/schemas/PersistentMount"
   },
   "network": {
    "type": "array",
    "maxItems": 1,
    "items": {
     "$ref": "#/components/schemas/NetworkMount"
    }
   }
  }
 },
 "NetworkMount": {
  "type": "object",
  "required": [
   "volumeId",
   "path"
  ],
  "additionalProperties": false,
  "properties": {
   "volumeId": {
    "type": "string"
   },
   "path": {
    "type": "string"
   }
  }
 },
 "PersistentMount": {
  "type": "object",
  "required": [
   "size",
   "path"
  ],
  "additionalProperties": false,
  "properties": {
   "size": {
    "type": "integer",
    "minimum": 10
   },
   "path": {
    "type": "string"
   }
  }
 },
 "PodAction": {
  "type": "string",
  "enum": [
   "start",
   "stop",
   "restart",
   "terminate"
  ]
 },
 "PodActionRequest": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "action"
  ],
  "properties": {
   "action": {
    "$ref": "#/components/schemas/PodAction"
   }
  }
 },
 "Product": {
  "type": "string",
  "enum": [
   "POD",
   "CLUSTER",
   "SERVERLESS"
  ]
 },
 "QueueDelayScaling": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "type",
   "queueDelay"
  ],
  "properties": {
   "type": {
    "type": "string",
    "enum": [
     "QUEUE_DELAY"
    ]
   },
   "queueDelay": {
    "type": "number",
    "minimum": 0.5
   }
  }
 },
 "RequestCountScaling": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "type",
   "requestCount"
  ],
  "properties": {
   "type": {
    "type": "string",
    "enum": [
     "REQUEST_COUNT"
    ]
   },
   "requestCount": {
    "type": "integer",
    "minimum": 1
   }
  }
 },
 "TemplateCategory": {
  "type": "string",
  "enum": [
   "CPU",
   "NVIDIA",
   "AMD"
  ]
 },
 "TemplateMounts": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "persistent": {
    "$ref": "#/components/schemas/PersistentMount"
   }
  }
 },
 "UpdateClusterRequest": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "name": {
    "type": "string",
    "minLength": 1
   }
  }
 },
 "UpdateEndpointGpuConfig": {
  "allOf": [
   {
    "$ref": "#/components/schemas/BaseEndpointGpuConfig"
   },
   {
    "type": "object",
    "properties": {
     "allowedCudaVersions": {
      "type": "array",
      "items": {
       "type": "string",
       "pattern": "^\\d+\\.\\d+$"
      }
     },
     "minCudaVersion": {
      "type": "string",
      "pattern": "^$|^\\d+\\.\\d+$"
     }
    }
   }
  ],
  "unevaluatedProperties": false
 },
 "UpdateEndpointRequest": {
  "allOf": [
   {
    "$ref": "#/components/schemas/ContainerConfig"
   },
   {
    "type": "object",
    "properties": {
     "cpu": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {
       "$ref": "#/components/schemas/CreateCpuConfig"
      }
     },
     "dataCenterIds": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "flashboot": {
      "$ref": "#/components/schemas/FlashBoot"
     },
     "gpu": {
      "$ref": "#/components/schemas/UpdateEndpointGpuConfig"
     },
     "name": {
      "type": "string",
      "minLength": 1
     },
     "networkVolumes": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "scaling": {
      "$ref": "#/components/schemas/EndpointScaling"
     },
     "templateId": {
      "type": "string"
     },
     "timeout": {
      "type": "integer"
     },
     "workers": {
      "$ref": "#/components/schemas/EndpointWorkers"
     }
    }
   }
  ],
  "unevaluatedProperties": false
 },
 "UpdateNetworkVolumeRequest": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "name": {
    "type": "string",
    "minLength": 1
   },
   "size": {
    "type": "integer",
    "minimum": 10,
    "maximum": 4096
   }
  }
 },
 "UpdatePodRequest": {
  "allOf": [
   {
    "$ref": "#/components/schemas/ContainerConfig"
   },
   {
    "type": "object",
    "properties": {
     "globalNetworking": {
      "type": "boolean"
     },
     "locked": {
      "type": "boolean"
     },
     "mounts": {
      "$ref": "#/components/schemas/Mounts"
     },
     "name": {
      "type": "string",
      "minLength": 1
     },
     "templateId": {
      "type": "string"
     }
    }
   }
  ],
  "unevaluatedProperties": false
 },
 "UpdateSshKeysRequest": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "keys"
  ],
  "properties": {
   "keys": {
    "type": "array",
    "items": {
     "type": "string",
     "pattern": "^(ssh|ecdsa|sk)-[^\\s]+ [^\\s]+([ \\t][^\\n\\r]*)?$"
    }
   }
  }
 },
 "UpdateTemplateRequest": {
  "allOf": [
   {
    "$ref": "#/components/schemas/ContainerConfig"
   },
   {
    "type": "object",
    "properties": {
     "allowedCudaVersions": {
      "type": "array",
      "items": {
       "type": "string",
       "pattern": "^\\d+\\.\\d+$"
      }
     },
     "category": {
      "$ref": "#/components/schemas/TemplateCategory"
     },
     "mounts": {
      "$ref": "#/components/schemas/TemplateMounts"
     },
     "name": {
      "type": "string",
      "minLength": 1
     },
     "public": {
      "type": "boolean"
     },
     "serverless": {
      "type": "boolean"
     },
     "startJupyter": {
      "type": "boolean"
     },
     "startSsh": {
      "type": "boolean"
     }
    }
   }
  ],
  "unevaluatedProperties": false
 },
 "VolumeType": {
  "type": "string",
  "enum": [
   "STANDARD",
   "HIGH_PERFORMANCE"
  ]
 },
 "query:getCpuType": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "include": {
    "type": "array",
    "maxItems": 1,
    "items": {
     "$ref": "#/components/schemas/CatalogInclude"
    }
   },
   "product": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/CpuProduct"
    }
   },
   "vcpuCount": {
    "type": "integer",
    "minimum": 2
   }
  },
  "required": []
 },
 "query:getDataCenter": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "include": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/DataCenterInclude"
    }
   }
  },
  "required": []
 },
 "query:getGpuType": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "include": {
    "type": "array",
    "maxItems": 1,
    "items": {
     "$ref": "#/components/schemas/CatalogInclude"
    }
   },
   "product": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/Product"
    }
   },
   "count": {
    "type": "integer",
    "minimum": 1
   },
   "cloud": {
    "$ref": "#/components/schemas/GpuCloudFilter"
   },
   "countryCodes": {
    "type": "array",
    "items": {
     "type": "string",
     "pattern": "^[A-Z]{2}$"
    }
   },
   "cudaVersions": {
    "type": "array",
    "items": {
     "type": "string",
     "pattern": "^\\d+\\.\\d+$"
    }
   },
   "minCudaVersion": {
    "type": "string",
    "pattern": "^\\d+(\\.\\d+)?$"
   }
  },
  "required": []
 },
 "query:getPodLogs": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "source": {
    "$ref": "#/components/schemas/LogSource"
   },
   "tail": {
    "type": "integer",
    "minimum": 0,
    "maximum": 5000
   },
   "since": {
    "type": "string"
   }
  },
  "required": []
 },
 "query:getWorkerLogs": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "source": {
    "$ref": "#/components/schemas/LogSource"
   },
   "tail": {
    "type": "integer",
    "minimum": 0,
    "maximum": 5000
   },
   "since": {
    "type": "string"
   }
  },
  "required": []
 },
 "query:listBilling": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "startTime": {
    "type": "string"
   },
   "endTime": {
    "type": "string"
   },
   "bucketSize": {
    "$ref": "#/components/schemas/BillingBucketSize"
   },
   "lastN": {
    "type": "integer",
    "minimum": 1
   }
  },
  "required": []
 },
 "query:listClusterBilling": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "startTime": {
    "type": "string"
   },
   "endTime": {
    "type": "string"
   },
   "bucketSize": {
    "$ref": "#/components/schemas/BillingBucketSize"
   },
   "lastN": {
    "type": "integer",
    "minimum": 1
   },
   "clusterId": {
    "type": "string"
   }
  },
  "required": []
 },
 "query:listCpuTypes": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "include": {
    "type": "array",
    "maxItems": 1,
    "items": {
     "$ref": "#/components/schemas/CatalogInclude"
    }
   },
   "product": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/CpuProduct"
    }
   },
   "vcpuCount": {
    "type": "integer",
    "minimum": 2
   }
  },
  "required": []
 },
 "query:listDataCenters": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "include": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/DataCenterInclude"
    }
   },
   "regions": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/DataCenterRegion"
    }
   },
   "networkVolumeTypes": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/VolumeType"
    }
   },
   "compliance": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/Compliance"
    }
   },
   "globalNetwork": {
    "type": "boolean"
   }
  },
  "required": []
 },
 "query:listEndpointBilling": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "startTime": {
    "type": "string"
   },
   "endTime": {
    "type": "string"
   },
   "bucketSize": {
    "$ref": "#/components/schemas/BillingBucketSize"
   },
   "lastN": {
    "type": "integer",
    "minimum": 1
   }
  },
  "required": []
 },
 "query:listGpuTypes": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "include": {
    "type": "array",
    "maxItems": 1,
    "items": {
     "$ref": "#/components/schemas/CatalogInclude"
    }
   },
   "product": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/Product"
    }
   },
   "count": {
    "type": "integer",
    "minimum": 1
   },
   "cloud": {
    "$ref": "#/components/schemas/GpuCloudFilter"
   },
   "countryCodes": {
    "type": "array",
    "items": {
     "type": "string",
     "pattern": "^[A-Z]{2}$"
    }
   },
   "cudaVersions": {
    "type": "array",
    "items": {
     "type": "string",
     "pattern": "^\\d+\\.\\d+$"
    }
   },
   "minCudaVersion": {
    "type": "string",
    "pattern": "^\\d+(\\.\\d+)?$"
   }
  },
  "required": []
 },
 "query:listNetworkVolumeBilling": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "startTime": {
    "type": "string"
   },
   "endTime": {
    "type": "string"
   },
   "bucketSize": {
    "$ref": "#/components/schemas/BillingBucketSize"
   },
   "lastN": {
    "type": "integer",
    "minimum": 1
   },
   "networkVolumeId": {
    "type": "string"
   }
  },
  "required": []
 },
 "query:listPodBilling": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "startTime": {
    "type": "string"
   },
   "endTime": {
    "type": "string"
   },
   "bucketSize": {
    "$ref": "#/components/schemas/BillingBucketSize"
   },
   "lastN": {
    "type": "integer",
    "minimum": 1
   },
   "podId": {
    "type": "string"
   }
  },
  "required": []
 },
 "query:listPods": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "includeClusterPods": {
    "type": "boolean"
   }
  },
  "required": []
 },
 "query:listPublicTemplates": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "source": {
    "type": "string",
    "enum": [
     "official",
     "verified",
     "community"
    ]
   }
  },
  "required": []
 },
 "query:listServerlessBilling": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "startTime": {
    "type": "string"
   },
   "endTime": {
    "type": "string"
   },
   "bucketSize": {
    "$ref": "#/components/schemas/BillingBucketSize"
   },
   "lastN": {
    "type": "integer",
    "minimum": 1
   },
   "serverlessId": {
    "type": "string"
   }
  },
  "required": []
 }
};
