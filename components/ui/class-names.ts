// Joins conditional class names and lets a later Tailwind class win over an earlier conflicting one.
import { clsx, type ClassValue } from "clsx";
import { mergeTailwindClasses } from "@/lib/tailwind-classes";

export function cn(...inputs: ClassValue[]): string {
  return mergeTailwindClasses(clsx(inputs));
}
