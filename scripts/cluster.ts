// A 3-node Restate cluster on 127.0.0.1 (replication 2), from the same npm binary as the single
// node: every node runs every role, node 1 provisions the cluster. Used by the scale-out tests.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adminSql, freePort, launch, restateServerBinary, type ManagedProcess } from "./stack";

export interface ClusterNode {
  name: string;
  process: ManagedProcess;
  ingressUrl: string;
  adminUrl: string;
  nodeUrl: string;
}

export interface Cluster {
  nodes: ClusterNode[];
  stop(): Promise<void>;
}

/**
 * Starts the cluster in `dir`. A node that exits during start-up (a port another process took between
 * being found free and being bound) starts the whole cluster again on new ports, twice at most; whatever
 * fails, no node is left running.
 */
export async function startCluster(dir: string, size = 3): Promise<Cluster> {
  for (let attempt = 1; ; attempt++) {
    const base = join(dir, `start-${attempt}`);
    try {
      return await launchCluster(base, size);
    } catch (error) {
      if (!(error instanceof NodeExitedDuringStartUp) || attempt === 3) throw error;
    }
  }
}

class NodeExitedDuringStartUp extends Error {}

async function launchCluster(dir: string, size: number): Promise<Cluster> {
  const ports = await Promise.all(Array.from({ length: size }, async () => ({ node: await freePort(), admin: await freePort(), ingress: await freePort() })));
  const advertised = ports.map((p) => `http://127.0.0.1:${p.node}/`);
  const nodes = ports.map((p, i) => {
    const name = `n${i + 1}`;
    const base = join(dir, name);
    mkdirSync(base, { recursive: true });
    const configFile = join(base, "restate.toml");
    writeFileSync(
      configFile,
      [
        `node-name = "${name}"`,
        `cluster-name = "remediation-cluster"`,
        `roles = ["metadata-server", "admin", "worker", "log-server", "http-ingress"]`,
        `auto-provision = ${i === 0}`,
        `default-replication = 2`,
        `default-num-partitions = 4`,
        `rocksdb-total-memory-size = "512 MiB"`,
        `listen-mode = "tcp"`,
        `base-dir = "${base}"`,
        `bind-address = "127.0.0.1:${p.node}"`,
        `advertised-address = "${advertised[i]}"`,
        ``,
        `[metadata-client]`,
        `type = "replicated"`,
        `addresses = [${advertised.map((a) => `"${a}"`).join(", ")}]`,
        ``,
        `[admin]`,
        `bind-address = "127.0.0.1:${p.admin}"`,
        ``,
        `[admin.query-engine]`,
        `memory-size = "256 MiB"`,
        ``,
        `[ingress]`,
        `bind-address = "127.0.0.1:${p.ingress}"`,
        ``,
      ].join("\n"),
    );
    return {
      name,
      process: launch(`restate ${name}`, restateServerBinary(), ["-c", configFile], {}, { logFile: join(base, "server.log") }),
      ingressUrl: `http://127.0.0.1:${p.ingress}`,
      adminUrl: `http://127.0.0.1:${p.admin}`,
      nodeUrl: advertised[i]!,
    };
  });

  const stop = async () => {
    await Promise.all(nodes.map((node) => node.process.stop()));
  };
  try {
    const deadline = Date.now() + 90_000;
    for (const node of nodes) {
      while (true) {
        if (!node.process.running) throw new NodeExitedDuringStartUp(`${node.process.name} exited during start-up (log: ${dir}/${node.name}/server.log)`);
        if (Date.now() > deadline) throw new Error(`cluster did not come up (logs in ${dir})`);
        const ready = await adminSql(node.adminUrl, "SELECT count(1) AS n FROM sys_invocation", { timeoutMs: 2_000 })
          .then(() => true)
          .catch(() => false);
        if (ready) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, stop };
}
