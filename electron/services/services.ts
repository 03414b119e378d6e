import { AnalysisService } from './analysis-service';
import { CompileService } from './compile-service';
import type { AppPaths } from './app-paths';
import { DeployService, type EmitEvent } from './deploy-service';
import { SshLimiter } from './host-fanout';
import { HostTargetStore } from './host-targets';
import { InventoryService } from './inventory-service';
import { KubernetesInventory } from './kubernetes-inventory';
import type { Logger } from './logger';
import { readTextFile, writeTextFileAtomic } from './project-files';
import { ContainerPortService } from './container-ports';
import { SwitchTraceService } from './switch-trace';
import { WorkStops } from './work-stops';

/** The node-side services every door (Electron, browser host, CLI) shares. */
export interface Services {
  paths: AppPaths;
  log: Logger;
  files: { read: typeof readTextFile; write: typeof writeTextFileAtomic };
  inventory: InventoryService;
  hosts: HostTargetStore;
  deploy: DeployService;
  switchTrace: SwitchTraceService;
  containerPorts: ContainerPortService;
  analysis: AnalysisService;
  compile: CompileService;
  /** The SSH work of requests that carry a `stopId`, for `work:stop`. */
  stops: WorkStops;
}

export function createServices(paths: AppPaths, log: Logger, emit: EmitEvent): Services {
  const hosts = new HostTargetStore(paths.configDir);
  const compile = new CompileService(log.scope('compile'), emit);
  // One queue for every SSH session of the process: only a shared one keeps a deploy, an impact
  // and a trace from opening sessions to the same sshd at once past what it accepts.
  const sessions = new SshLimiter();
  return {
    paths,
    log,
    files: { read: readTextFile, write: writeTextFileAtomic },
    inventory: new InventoryService(paths.examplesDir, new KubernetesInventory((change) => emit('inventory:changed', change), log.scope('kubernetes')), log.scope('inventory')),
    hosts,
    deploy: new DeployService(hosts, paths.configDir, paths.dataDir, log.scope('deploy'), emit, sessions),
    switchTrace: new SwitchTraceService(hosts, paths.configDir, log.scope('trace'), sessions),
    containerPorts: new ContainerPortService(hosts, paths.configDir, log.scope('ports'), sessions),
    analysis: new AnalysisService(hosts, paths.configDir, log.scope('analysis'), emit, compile, sessions),
    compile,
    stops: new WorkStops(),
  };
}
