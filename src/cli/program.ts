import { Command, Option } from "commander";
import { VERSION } from "../core/version.js";
import { registerCloudResources } from "./commands/cloud-resources.js";
import { registerConfig } from "./commands/config.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerDev } from "./commands/dev.js";
import { registerEndpoint } from "./commands/endpoint.js";
import { registerGpu } from "./commands/gpu.js";
import { registerInit } from "./commands/init.js";
import { registerPod } from "./commands/pod.js";
import { registerSsh } from "./commands/ssh.js";
import { registerTemplate } from "./commands/template.js";
import { registerTest } from "./commands/test.js";
import { actionFactory, type CliIO } from "./context.js";
import { shouldColor, styles } from "./output/color.js";

/**
 * The command tree. Group modules only declare commands and options here; each action loads its
 * implementation with a dynamic import, so `--help` loads commander and nothing heavy.
 */
export function createProgram(io: CliIO): Command {
  const errStyle = styles(shouldColor({ isTTY: io.stderr.isTTY === true, env: io.env }));
  const program = new Command("runpod-ts")
    .description("Runpod from the terminal: config, pods, endpoints, local dev and scaffolding")
    .version(VERSION, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .addOption(new Option("--profile <name>", "config profile to use (default: default)"))
    .addOption(
      new Option("--api-key <key>", "API key (overrides RUNPOD_API_KEY and the config file)"),
    )
    .option("--json", "print data as JSON")
    .option("--verbose", "show stack traces on errors")
    // Settings below are inherited by every subcommand added after them.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(errStyle.red(text)),
    });
  const action = actionFactory(io);
  registerConfig(program, action);
  registerInit(program, action);
  registerTest(program, action);
  registerDev(program, action);
  registerPod(program, action);
  registerGpu(program, action);
  registerTemplate(program, action);
  registerEndpoint(program, action);
  registerCloudResources(program, action);
  registerSsh(program, action);
  registerDeploy(program, action);
  return program;
}
