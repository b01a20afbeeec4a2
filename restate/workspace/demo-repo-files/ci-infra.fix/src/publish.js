// Publishes the release; the CI log keeps the line `describePublish` returns.
import { redact } from "./redact.js";

export function describePublish(settings) {
  return `publishing ${settings.package}@${settings.version} to ${settings.registry} with ${JSON.stringify(redact(settings))}`;
}

export function publishSettings(env) {
  return { package: env.PACKAGE, version: env.VERSION, registry: env.REGISTRY_URL, registryToken: env.REGISTRY_TOKEN };
}
