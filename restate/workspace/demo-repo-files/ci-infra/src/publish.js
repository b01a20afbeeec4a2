// Publishes the release; the CI log keeps the line `describePublish` returns.
export function describePublish(settings) {
  return `publishing ${settings.package}@${settings.version} to ${settings.registry} with ${JSON.stringify(settings)}`;
}

export function publishSettings(env) {
  return { package: env.PACKAGE, version: env.VERSION, registry: env.REGISTRY_URL, registryToken: env.REGISTRY_TOKEN };
}
