// A port picked as free can be taken by another process before the stack's server binds it: the
// stack must then see that the port is not its server's, instead of talking to whoever holds it.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExitedBeforeReady, freePort, listensOn, portIsFree } from "./processes";
import { startServices } from "./stack";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function listenHere(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      socket.on("error", () => undefined);
      socket.end("Are you lost?\n");
    });
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describe.runIf(process.platform === "linux")("which process holds a port", () => {
  it("tells the process listening on a port from one that is not", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["-e", `require("node:net").createServer().listen(${port}, "127.0.0.1", () => console.log("up"))`], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    cleanups.push(() => void child.kill("SIGKILL"));
    await new Promise((resolve) => child.stdout.once("data", resolve));

    expect(listensOn(child.pid, port)).toBe(true);
    expect(listensOn(process.pid, port)).toBe(false);
    expect(await portIsFree(port)).toBe(false);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await portIsFree(port)).toBe(true);
  });

  it("does not take another process's listener on the port for the services", async () => {
    const port = await freePort();
    const squatter = await listenHere(port);
    cleanups.push(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
    const dir = mkdtempSync(join(tmpdir(), "taken-port-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    const started = startServices({ port, adminUrl: "http://127.0.0.1:9", output: { logFile: join(dir, "services.log") }, env: { CODE_HOST: "stub" } });
    await expect(started).rejects.toBeInstanceOf(ExitedBeforeReady);
    await expect(started).rejects.toThrow(/services exited before the services endpoint to listen/);
  });
});
