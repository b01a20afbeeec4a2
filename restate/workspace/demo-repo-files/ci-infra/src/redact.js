// Values of settings whose names look secret are replaced before anything is logged.
const SECRET_NAME = /token|secret|password|key/i;

export function redact(settings) {
  return Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, SECRET_NAME.test(name) ? "[redacted]" : value]));
}
