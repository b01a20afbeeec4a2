// Signing in and signing out: only the sign-in form and the operator's menu load these, not every page's header.
import { mutationOptions, type QueryClient } from "@tanstack/react-query";
import type { LoginInput } from "@/lib/api/contracts";
import { requestJson, setSigningOut } from "./api-client";

export const sessionMutations = {
  signIn: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["session", "sign-in"],
      mutationFn: (credentials: LoginInput) =>
        requestJson("/api/auth/login", (c) => c.SessionResponseSchema.pick({ operator: true }), { method: "POST", body: credentials }),
      onSuccess: () => queryClient.clear(),
    }),
  signOut: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["session", "sign-out"],
      mutationFn: () => requestJson("/api/auth/logout", (c) => c.SignedOutSchema, { method: "POST" }),
      onMutate: () => setSigningOut(true),
      onError: () => setSigningOut(false),
      onSuccess: () => queryClient.clear(),
    }),
};
