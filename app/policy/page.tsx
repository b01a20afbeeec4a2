import type { Metadata } from "next";
import { PolicyWhatIf } from "@/components/policy-what-if";

export const metadata: Metadata = { title: "Sign-off policy" };

export default function PolicyPage() {
  return <PolicyWhatIf />;
}
