/** Markdown building blocks of the report: a section of paragraphs and tables, numbers in words. */

/** A paragraph (one line), a table or list (several lines), or nothing (a part this run lacks). */
export type Block = string | readonly string[] | false | undefined;

/** A section: its heading (none for a continuation), then each block followed by a blank line. */
export function section(title: string | undefined, ...blocks: Block[]): string[] {
  const lines = title ? [`## ${title}`, ""] : [];
  for (const block of blocks) if (block !== false && block !== undefined) lines.push(...(typeof block === "string" ? [block] : block), "");
  return lines;
}

const WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

/** Small counts in words ("six ways"), larger ones in digits. */
export const spelled = (n: number) => WORDS[n] ?? String(n);

/** "once", "twice", "three times". */
export const times = (n: number) => (n === 1 ? "once" : n === 2 ? "twice" : `${spelled(n)} times`);
