import type { Metadata } from "next";
import { JudgeCalibration } from "@/components/judge-calibration";

export const metadata: Metadata = { title: "Judge calibration" };

export default function CalibrationPage() {
  return <JudgeCalibration />;
}
