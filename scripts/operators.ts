// `npm run operators -- <command>`: the local operator accounts in .data/operators.json (OPERATORS_FILE).
//   list                                   who can sign in, with their roles
//   add <username> <role,role> [name...]   adds an operator with a generated password, printed once
//   password <username>                    sets a new generated password, printed once
//   roles <username> <role,role>           changes an operator's roles
//   remove <username>                      removes an operator (their sessions and tokens stop working)
//   email <username> [address]             sets (or, without an address, clears) the e-mail that maps a Slack user to them
//   groups <username> [group,group]        sets (or, without groups, clears) the approver groups a policy rule's `from` names
// A change of roles or password, or a removal, ends the operator's open sessions: the console compares
// each session with the record it was started from (lib/server/auth/operators.ts operatorFingerprint).
// Passwords are stored only as bcrypt hashes (cost 12).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import bcrypt from "bcryptjs";
import { parseGroups, parseRoles, RESERVED_USERNAMES, type Role } from "../lib/auth/roles";
import { GroupNameSchema } from "../restate/contracts/policy";
import { projectRoot } from "./stack";

export interface OperatorEntry {
  username: string;
  name: string;
  roles: Role[];
  passwordHash: string;
  /** Maps a Slack user (by their e-mail) to this operator, for sign-off from Slack. */
  email?: string;
  /** The approver groups the operator belongs to (a policy rule's `from`). */
  groups?: string[];
  /** Stamped once on add: sessions remember it, so removing and re-adding an operator ends their old sessions. */
  createdAt?: string;
}

const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
export const BCRYPT_COST = 12;

export const operatorsFile = (dataDir = join(projectRoot, ".data")) => process.env.OPERATORS_FILE ?? join(dataDir, "operators.json");

export function readOperators(file: string): OperatorEntry[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { operators: OperatorEntry[] }).operators : [];
}

export function writeOperators(file: string, operators: OperatorEntry[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ operators }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

export const generatePassword = () => randomBytes(15).toString("base64url");

export function newOperator(username: string, roles: Role[], name: string): { entry: OperatorEntry; password: string } {
  if (!USERNAME.test(username)) throw new Error(`"${username}" is not a valid username (lowercase letters, digits, . _ @ -)`);
  if (RESERVED_USERNAMES.includes(username)) throw new Error(`"${username}" is reserved: the console submits GitHub's alerts under it`);
  if (!roles.length) throw new Error("give at least one role: viewer, submitter, approver, admin");
  const password = generatePassword();
  return { entry: { username, name, roles, passwordHash: bcrypt.hashSync(password, BCRYPT_COST), createdAt: new Date().toISOString() }, password };
}

/** First start: an operators file with one admin, whose password is returned to print once. */
export function ensureOperators(file: string): { username: string; password: string } | null {
  if (existsSync(file)) return null;
  const { entry, password } = newOperator("admin", ["admin"], "Administrator");
  writeOperators(file, [entry]);
  return { username: entry.username, password };
}

/**
 * Gives `operator` the e-mail that maps a Slack user to them (lowercased), or clears it without one.
 * An address another operator has is refused: one Slack user maps to one operator.
 */
export function setOperatorEmail(operators: OperatorEntry[], operator: OperatorEntry, email: string | undefined): string | undefined {
  const address = email?.trim().toLowerCase();
  if (!address) {
    delete operator.email;
    return undefined;
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) throw new Error(`"${address}" is not an e-mail address`);
  const taken = operators.find((other) => other !== operator && other.email?.toLowerCase() === address);
  if (taken) throw new Error(`${address} is ${taken.username}'s already: an e-mail maps one Slack user to one operator`);
  operator.email = address;
  return address;
}

/**
 * Gives `operator` these approver groups ("security,platform"), or none without any. A name that is not a
 * group name is refused rather than dropped, so a typo never leaves someone out of a group unnoticed.
 */
export function setOperatorGroups(operator: OperatorEntry, text: string | undefined): string[] {
  const names = (text ?? "").split(/[\s,]+/).filter(Boolean);
  const bad = names.find((name) => !GroupNameSchema.safeParse(name).success);
  if (bad !== undefined) throw new Error(`"${bad}" is not a group name (letters, digits, '.', '_' or '-', at most 64)`);
  const groups = parseGroups(names);
  if (groups.length) operator.groups = groups;
  else delete operator.groups;
  return groups;
}

function main(args: string[]) {
  const file = operatorsFile();
  const operators = readOperators(file);
  const [command, username, ...rest] = args;
  const find = () => {
    const found = operators.find((operator) => operator.username === username);
    if (!found) throw new Error(`no operator "${username}" in ${file}`);
    return found;
  };
  switch (command) {
    case "list":
      for (const operator of operators)
        console.log(
          [
            operator.username,
            operator.roles.join(","),
            `groups:${operator.groups?.join(",") || "-"}`,
            operator.name,
            ...(operator.email ? [operator.email] : []),
          ].join("\t"),
        );
      return;
    case "add": {
      if (!username) throw new Error("usage: add <username> <role,role> [name]");
      if (operators.some((operator) => operator.username === username)) throw new Error(`"${username}" exists already`);
      const [roles = "", ...name] = rest;
      const { entry, password } = newOperator(username, parseRoles(roles), name.join(" ") || username);
      writeOperators(file, [...operators, entry]);
      console.log(`added ${username} (${entry.roles.join(", ")}); password, shown once: ${password}`);
      return;
    }
    case "password": {
      const operator = find();
      const password = generatePassword();
      operator.passwordHash = bcrypt.hashSync(password, BCRYPT_COST);
      writeOperators(file, operators);
      console.log(`new password for ${username}, shown once: ${password}`);
      return;
    }
    case "roles": {
      const operator = find();
      const roles = parseRoles(rest[0] ?? "");
      if (!roles.length) throw new Error("give at least one role: viewer, submitter, approver, admin");
      operator.roles = roles;
      writeOperators(file, operators);
      console.log(`${username}: ${roles.join(", ")}`);
      return;
    }
    case "email": {
      const address = setOperatorEmail(operators, find(), rest[0]);
      writeOperators(file, operators);
      console.log(address ? `${username}: ${address}` : `${username}: no e-mail`);
      return;
    }
    case "groups": {
      const groups = setOperatorGroups(find(), rest[0]);
      writeOperators(file, operators);
      console.log(groups.length ? `${username}: groups ${groups.join(", ")}` : `${username}: no groups`);
      return;
    }
    case "remove":
      find();
      writeOperators(
        file,
        operators.filter((operator) => operator.username !== username),
      );
      console.log(`removed ${username}`);
      return;
    default:
      console.log(
        "usage: npm run operators -- list | add <username> <roles> [name] | password <username> | roles <username> <roles> | remove <username> | email <username> [address] | groups <username> [group,group]",
      );
  }
}

if (process.argv[1] && /operators\.ts$/.test(process.argv[1])) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
