// A setting whose value is JSON of a given shape (header maps, command lists...): one message naming the
// expected shape, whether the text is not JSON or the JSON has the wrong shape.
import { z } from "zod";

export function jsonSetting<Shape extends z.ZodType>(shape: Shape, expected: string) {
  return z.string().transform((text, ctx): z.output<Shape> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: expected });
      return z.NEVER;
    }
    const result = shape.safeParse(parsed);
    if (!result.success) {
      ctx.addIssue({ code: "custom", message: expected });
      return z.NEVER;
    }
    return result.data;
  });
}
