"use client";
// Sign-in with a local operator's password, or through the OpenID Connect provider when configured.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { describeError } from "@/lib/query/api-client";
import { afterSignIn } from "@/lib/redirect-target";
import { sessionMutations } from "@/lib/query/session-mutations";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { CardBody, CardHeader, CardTitle } from "./ui/card-parts";
import { Input } from "./ui/controls";
import { Field } from "./ui/field";
import { Notice } from "./ui/notice";
import { useOperator } from "./use-operator";

export function SignInForm() {
  const queryClient = useQueryClient();
  const signIn = useMutation(sessionMutations.signIn(queryClient));
  const { oidc } = useOperator();
  const next = useSearchParams().get("next");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const id = useId();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // A full navigation, so every page starts from the new session; never off the console (an open
    // redirect would hand the freshly signed-in operator to anyone).
    signIn.mutate({ username: username.trim(), password }, { onSuccess: () => window.location.assign(afterSignIn(next, window.location.origin)) });
  };

  return (
    <Card className="mx-auto max-w-sm">
      <CardHeader>
        <CardTitle>Sign in</CardTitle>
      </CardHeader>
      <CardBody>
        <form onSubmit={onSubmit} className="space-y-3" aria-label="Sign in">
          {signIn.isError ? <Notice tone="error">{describeError(signIn.error)}</Notice> : null}
          <Field id={`${id}-username`} label="Username">
            {(control) => <Input {...control} name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} />}
          </Field>
          <Field id={`${id}-password`} label="Password">
            {(control) => (
              <Input
                {...control}
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            )}
          </Field>
          <Button type="submit" disabled={signIn.isPending || !username.trim() || !password}>
            Sign in
          </Button>
        </form>
        {oidc ? (
          <p className="mt-4 border-t border-slate-200 pt-4 text-sm">
            <a className="font-medium text-indigo-700 hover:underline" href="/api/auth/oidc/login">
              Sign in with single sign-on
            </a>
          </p>
        ) : null}
      </CardBody>
    </Card>
  );
}
