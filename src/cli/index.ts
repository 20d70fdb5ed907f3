import { VERSION } from "../core/version.js";

const HELP = `runpod-ts ${VERSION}

Usage: runpod-ts [--help] [--version]

Commands arrive with the CLI; see the README.`;

const args = process.argv.slice(2);
if (args.includes("--version") || args.includes("-v")) {
  console.log(VERSION);
} else if (args.length === 0 || args.includes("--help") || args.includes("-h")) {
  console.log(HELP);
} else {
  console.error(`Unknown command: ${args[0]}\n\n${HELP}`);
  process.exitCode = 2;
}
