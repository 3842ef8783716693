import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * Reading public/robots.txt the way a crawler does (RFC 9309): the rules of the `User-agent: *`
 * group, the longest matching rule wins, Allow on a tie, and a path no rule matches is allowed.
 */

type Rule = { allow: boolean; pattern: string };

function rulesForEveryAgent(text: string): Rule[] {
  const rules: Rule[] = [];
  let agents: string[] = [];
  let inRules = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, "").trim();
    const match = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    const value = match[2]!.trim();
    if (key === "user-agent") {
      if (inRules) agents = [];
      inRules = false;
      agents.push(value);
    } else if (key === "allow" || key === "disallow") {
      inRules = true;
      if (agents.includes("*")) rules.push({ allow: key === "allow", pattern: value });
    }
  }
  return rules;
}

function matches(pattern: string, urlPath: string): boolean {
  const anchored = pattern.endsWith("$");
  const body = (anchored ? pattern.slice(0, -1) : pattern).split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${body.join(".*")}${anchored ? "$" : ""}`).test(urlPath);
}

export function robotsAllows(text: string, urlPath: string): boolean {
  let best: Rule | undefined;
  for (const rule of rulesForEveryAgent(text)) {
    if (rule.pattern === "" || !matches(rule.pattern, urlPath)) continue;
    const longer = !best || rule.pattern.length > best.pattern.length;
    if (longer || (rule.pattern.length === best!.pattern.length && rule.allow)) best = rule;
  }
  return best?.allow ?? true;
}

/**
 * The URL of every page and route handler under app/, dynamic segments written as their names
 * (`/avatars/userId/size`), so a test can hold robots.txt to the routes that really exist.
 */
export function appRoutePaths(appDir: string): string[] {
  return readdirSync(appDir, { recursive: true, encoding: "utf8" })
    .filter((file) => /(^|\/)(page\.tsx|route\.ts)$/.test(file))
    .map((file) => {
      const segments = path
        .dirname(file)
        .split(path.sep)
        .filter((segment) => segment !== "." && !/^\(.*\)$/.test(segment))
        .map((segment) => segment.replace(/^\[(?:\.\.\.)?(.+)\]$/, "$1"));
      return `/${segments.join("/")}`;
    })
    .sort();
}
