/** The files every template shares, rendered from the project's name and the SDK version. */

export interface ProjectInfo {
  /** npm package name of the scaffolded project. */
  name: string;
  /** Version spec of the runpod-ts dependency, e.g. `^0.1.0`. */
  sdkSpec: string;
  template: "basic" | "streaming";
}

export function packageJson({ name, sdkSpec }: ProjectInfo): string {
  const pkg = {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=20" },
    scripts: {
      build: "tsc",
      // With test_input.json in the working directory the worker runs that one job locally
      // and exits 0 or 1, instead of waiting for jobs from Runpod.
      test: "npm run build && node dist/handler.js",
      start: "node dist/handler.js",
      // The edit loop: a local platform running src/handler.ts (through tsx), restarted when it
      // or a file it imports changes.
      dev: "runpod-ts dev src/handler.ts",
    },
    dependencies: { "runpod-ts": sdkSpec },
    devDependencies: { "@types/node": "^20.19.0", tsx: "^4.20.0", typescript: "~5.9.2" },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export const tsconfigJson = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ES2023"],
      types: ["node"],
      strict: true,
      rootDir: "src",
      outDir: "dist",
      sourceMap: true,
      skipLibCheck: true,
    },
    include: ["src"],
  },
  null,
  2,
)}\n`;

export function testInputJson({ template }: ProjectInfo): string {
  const input =
    template === "streaming" ? { prompt: "hello from runpod-ts" } : { prompt: "hello", steps: 2 };
  return `${JSON.stringify({ input }, null, 2)}\n`;
}

/**
 * A GPU worker image: CUDA runtime libraries from NVIDIA's image, Node copied from the official
 * node image (no extra apt sources), dependencies installed in a build stage, run as a non-root user.
 */
export const dockerfile = `# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS node

# Build: compile TypeScript, then keep only production dependencies.
FROM node AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm ci --omit=dev

# Run: CUDA runtime (Ubuntu 24.04, whose glibc is newer than the build stage's) + Node.
FROM nvidia/cuda:12.6.3-runtime-ubuntu24.04
COPY --from=node /usr/local/bin/node /usr/local/bin/node
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Non-root: the worker needs no privileges. Drop this line if your model writes to root-owned
# paths such as a network volume mounted at /runpod-volume.
USER ubuntu
CMD ["node", "dist/handler.js"]
`;

export const dockerignore = `node_modules
dist
.git
.env
*.log
Dockerfile
.dockerignore
`;

export const gitignore = `node_modules
dist
.env
`;

export function readme({ name, template }: ProjectInfo): string {
  const kind = template === "streaming" ? "a streaming worker (an async generator)" : "a worker";
  return `# ${name}

${kind[0]?.toUpperCase()}${kind.slice(1)} for [Runpod Serverless](https://docs.runpod.io/serverless/overview), written in
TypeScript with [runpod-ts](https://www.npmjs.com/package/runpod-ts). The handler is in \`src/handler.ts\`.

## Test locally

\`\`\`sh
npm install
npm test         # builds, then runs the job in test_input.json once and exits
npm run dev      # a local copy of the platform running src/handler.ts; edits restart it
\`\`\`

With \`npm run dev\` running, call the worker from another terminal (or open the dashboard it
prints):

\`\`\`sh
npx runpod-ts endpoint runsync local --input '{"prompt": "hi"}' --base-url http://127.0.0.1:8000/v2
\`\`\`

## Deploy

Build the image for the platform's architecture and push it to a registry Runpod can pull from:

\`\`\`sh
docker build --platform linux/amd64 -t YOUR_USER/${name}:0.1.0 .
docker push YOUR_USER/${name}:0.1.0
\`\`\`

Then create the endpoint (this saves a key once, then creates a template and an endpoint):

\`\`\`sh
npx runpod-ts config
npx runpod-ts deploy --image YOUR_USER/${name}:0.1.0 --name ${name}
\`\`\`

It prints the endpoint id and its \`run\`, \`runsync\` and \`health\` URLs. Deploying again with
a new image tag (and the same \`--name\`) switches that endpoint to the new image. Call it:

\`\`\`sh
npx runpod-ts endpoint runsync ENDPOINT_ID --input '{"prompt": "hello"}'
\`\`\`
`;
}
