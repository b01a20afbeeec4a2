"use client";
// Personal API tokens: for curl and scripts, `Authorization: Bearer <token>` on the console API acts
// as the operator who made it. The token is shown once, right after it is made, and expires: the
// console's default lifetime unless the operator picks another, up to the console's maximum.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { describeError } from "@/lib/query/api-client";
import { tokenMutations, tokenQueries } from "@/lib/query/token-queries";
import { CopyButton } from "./copy-button";
import { formatTimestamp } from "./time-format";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { CardBody, CardDescription, CardHeader, CardTitle } from "./ui/card-parts";
import { Input } from "./ui/controls";
import { Field } from "./ui/field";
import { Notice } from "./ui/notice";
import { useNow } from "./use-now";

export function ApiTokens() {
  const queryClient = useQueryClient();
  const tokens = useQuery(tokenQueries.mine());
  const create = useMutation(tokenMutations.create(queryClient));
  const revoke = useMutation(tokenMutations.revoke(queryClient));
  const [label, setLabel] = useState("");
  // Empty: the console's default lifetime.
  const [days, setDays] = useState("");
  const id = useId();
  const now = useNow();
  const lifetime = tokens.data?.lifetime;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!label.trim()) return;
    const ttlDays = days.trim() ? Number(days) : undefined;
    create.mutate(
      { label: label.trim(), ...(ttlDays !== undefined ? { ttlDays } : {}) },
      {
        onSuccess: () => {
          setLabel("");
          setDays("");
        },
      },
    );
  };

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Personal API tokens</CardTitle>
          <CardDescription>Use one as `Authorization: Bearer …` on the console API; it acts as you, with your roles.</CardDescription>
        </div>
      </CardHeader>
      <CardBody className="space-y-4">
        {create.data ? (
          <Notice tone="success" data-testid="new-token">
            New token “{create.data.label}”: copy it now, it is not shown again.
            <span className="mt-1 flex items-center gap-2 font-mono text-xs break-all">
              <span data-testid="new-token-value">{create.data.token}</span>
              <CopyButton value={create.data.token} label="token" />
            </span>
          </Notice>
        ) : null}
        {create.isError ? <Notice tone="error">{describeError(create.error)}</Notice> : null}
        <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-2" aria-label="Create a token">
          <Field id={`${id}-label`} label="What it is for" className="min-w-48 flex-1">
            {(control) => <Input {...control} name="label" value={label} maxLength={100} onChange={(event) => setLabel(event.target.value)} />}
          </Field>
          <Field id={`${id}-days`} label="Lifetime (days)" hint={lifetime ? `${lifetime.defaultDays} unless you say; at most ${lifetime.maxDays}` : undefined}>
            {(control) => (
              <Input
                {...control}
                name="ttlDays"
                type="number"
                min={1}
                max={lifetime?.maxDays}
                step={1}
                className="w-28"
                placeholder={lifetime ? String(lifetime.defaultDays) : undefined}
                value={days}
                onChange={(event) => setDays(event.target.value)}
              />
            )}
          </Field>
          <Button type="submit" disabled={create.isPending || !label.trim()}>
            Create token
          </Button>
        </form>
        {tokens.isError ? <Notice tone="error">{describeError(tokens.error)}</Notice> : null}
        <ul className="divide-y divide-slate-200 text-sm" data-testid="token-list">
          {tokens.data?.items.map((token) => (
            <li key={token.id} className="flex items-center justify-between gap-3 py-2">
              <span className="min-w-0 break-words">
                <span className="font-medium">{token.label}</span> <span className="text-slate-500">created {formatTimestamp(token.createdAt)}</span>{" "}
                {now > 0 && Date.parse(token.expiresAt) <= now ? (
                  <span className="font-medium text-red-700" data-testid="token-expiry">
                    expired {formatTimestamp(token.expiresAt)}
                  </span>
                ) : (
                  <span className="text-slate-500" data-testid="token-expiry">
                    expires {formatTimestamp(token.expiresAt)}
                  </span>
                )}
              </span>
              <Button type="button" variant="reject" disabled={revoke.isPending} onClick={() => revoke.mutate(token.id)}>
                Revoke
              </Button>
            </li>
          ))}
          {tokens.data && tokens.data.items.length === 0 ? <li className="py-2 text-slate-500">No tokens yet.</li> : null}
        </ul>
      </CardBody>
    </Card>
  );
}
