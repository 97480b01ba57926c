/**
 * Bad input: every tool's arguments, prompts, resources and raw requests,
 * against one server process whose every route server is counted (the real
 * FRR rig behind a counting relay, IOS and Junos fakes). A refusal is held
 * when it is an `isError` result (or, for prompts and resources, the right
 * JSON-RPC error) that names the problem, is bounded and free of control
 * characters, when not one byte reached any server, and when the process
 * answers the next call. Global destinations must be accepted.
 *
 * @module
 */

import { Relay } from "../../../tests/harness/mod.ts";
import {
  globalDestinations,
  KNOWN_GLOBAL,
  malformedDestinations,
  type Refused,
  refusedDestinations,
} from "../addresses.ts";
import { classify, honest } from "../answers.ts";
import { type CaseSpec, show } from "../case.ts";
import { controlCharacterProblems, covers } from "../checks.ts";
import { fakeEntry, Meter, startFake } from "../fakes.ts";
import {
  BIG_QUOTA,
  caseIn,
  expectAlive,
  expectClean,
  expectNoBytes,
  expectRefusal,
  expectResult,
  loopback,
  MAX_MESSAGE,
  ProcessSlot,
  type Suite,
  type SuiteContext,
  type SuitePlan,
  writeServers,
} from "../suite.ts";

const CATEGORY = "bad-input";
const TIMEOUT = 20_000;

/** The bad-input suite. */
export const badInput: Suite = { category: CATEGORY, plan };

async function plan(ctx: SuiteContext): Promise<SuitePlan> {
  const meter = new Meter();
  // The default server: the real FRR rig behind a counting relay (or an honest fake without one).
  const relay = ctx.rig
    ? meter.addRelay(new Relay({ target: { hostname: "127.0.0.1", port: ctx.rig.vtyPort } }))
    : null;
  const frrFake = ctx.rig ? null : meter.addFake(startFake("frr", {
    answer: (line) => {
      const { ask, json } = classify(line);
      if (ask === "route" || ask === "orlonger") return json ? "{}" : "% Network not in table";
      return honest("frr", { ask, json });
    },
  }));
  const rigPort = relay?.port ?? frrFake!.port;
  const ios = meter.addFake(startFake("cisco-ios", {
    answer: (line) => {
      const { ask } = classify(line);
      if (ask === "ping") return honest("cisco-ios", { ask: "ping", json: false });
      if (ask === "traceroute") return honest("cisco-ios", { ask: "traceroute", json: false });
      if (ask === "route") return "% Network not in table";
      return honest("cisco-ios", { ask, json: false });
    },
  }));
  const junos = meter.addFake(startFake("junos", {
    answer: (line) => {
      const { ask } = classify(line);
      if (ask === "route" || ask === "orlonger") {
        return "\ninet.0: 929432 destinations, 1837610 routes (929409 active, 0 holddown, 0 hidden)\n";
      }
      return honest("junos", { ask, json: false });
    },
  }));
  const config = await writeServers(`${ctx.dir}/servers.json`, {
    defaultServer: "rig",
    limits: { cacheTtlMs: 0, idleTimeoutMs: 600_000, queueTimeoutMs: 10_000 },
    quota: BIG_QUOTA,
    servers: [
      fakeEntry("frr", {
        name: "rig",
        port: rigPort,
        extra: { location: ctx.rig ? "real FRR rig" : "fake FRR" },
      }),
      fakeEntry("cisco-ios", { name: "ios", port: ios.port }),
      fakeEntry("junos", { name: "junos", port: junos.port, extra: { supports: [] } }),
      fakeEntry("cisco-ios", { name: "off", port: ios.port, extra: { enabled: false } }),
    ],
  });
  const slot = new ProcessSlot({ config, allowNet: loopback(rigPort, ios.port, junos.port) });
  const rand = ctx.random;
  const cases: CaseSpec[] = [];

  /** A case that sends one bad request and checks the refusal invariants. */
  const refusal = ({ id, tool, args, names }: {
    id: string;
    tool: string;
    args: unknown;
    names: RegExp;
  }) =>
    caseIn(CATEGORY, {
      id,
      timeoutMs: TIMEOUT,
      run: async (check) => {
        const process = await slot.get();
        const before = meter.snapshot();
        const outcome = await process.call(tool, args, { timeoutMs: 10_000 });
        expectRefusal(check, outcome, { names, what: tool });
        expectNoBytes(check, meter, { before, what: tool });
        await expectAlive(check, process, tool);
      },
    });

  /** A prompt request that must be refused with -32602 naming the problem. */
  const promptRefusal = ({ id, name, args, names }: {
    id: string;
    name: string;
    args: Record<string, unknown>;
    names: RegExp;
  }) =>
    caseIn(CATEGORY, {
      id,
      timeoutMs: TIMEOUT,
      run: async (check) => {
        const process = await slot.get();
        const before = meter.snapshot();
        const outcome = await process.prompt(name, args);
        if (check.ok(!outcome.ok, `prompt ${name}: accepted ${show(args)}`)) {
          check.equal(outcome.code, -32602, `prompt ${name}: JSON-RPC error code`);
          check.ok(
            names.test(outcome.message),
            `prompt ${name}: the error does not name the problem (${names}): ${
              show(outcome.message, 200)
            }`,
          );
          check.ok(
            outcome.message.length <= MAX_MESSAGE,
            `prompt ${name}: the error is ${outcome.message.length} characters long`,
          );
          check.all(controlCharacterProblems(outcome.message, `prompt ${name} error`));
        }
        expectNoBytes(check, meter, { before, what: `prompt ${name}` });
        await expectAlive(check, process, `prompt ${name}`);
      },
    });

  // 1. Special-purpose space, for every tool and prompt that takes a destination.
  const destinationTools = [
    "route_compare",
    "ping",
    "traceroute",
    "diagnose_prefix",
    "explain_as_path",
  ];
  const addTool = (d: Refused, { label, tool }: { label: string; tool: string }) => {
    const id = `${label}/${tool}/${d.kind}/${show(d.text, 40)}`;
    if (tool === "diagnose_prefix") {
      cases.push(promptRefusal({ id, name: tool, args: { prefix: d.text }, names: d.names }));
    } else if (tool === "explain_as_path") {
      cases.push(promptRefusal({ id, name: tool, args: { destination: d.text }, names: d.names }));
    } else {
      const args = tool === "route_compare"
        ? { destination: d.text, servers: "all" }
        : { destination: d.text };
      // ping and traceroute may refuse a prefix for being a prefix.
      const names = tool === "ping" || tool === "traceroute"
        ? new RegExp(`${d.names.source}|one address, not a prefix`, "i")
        : d.names;
      cases.push(refusal({ id, tool, args, names }));
    }
  };
  for (const d of refusedDestinations(rand)) {
    addTool(d, { label: "special-space", tool: "route_lookup" });
    addTool(d, { label: "special-space", tool: rand.pick(destinationTools) });
  }
  // 2. Malformed destinations.
  for (const d of malformedDestinations(rand)) {
    addTool(d, { label: "malformed", tool: "route_lookup" });
    addTool(d, { label: "malformed", tool: rand.pick(destinationTools) });
  }

  // 3. Global space must be accepted: answered by the real server, prefix covering it.
  const accepted = [...KNOWN_GLOBAL, ...globalDestinations(rand, 36)];
  for (const destination of accepted) {
    cases.push(
      caseIn(CATEGORY, {
        id: `global-accepted/route_lookup/${destination}`,
        timeoutMs: TIMEOUT,
        run: async (check) => {
          const process = await slot.get();
          const before = meter.snapshot();
          const outcome = await process.call("route_lookup", { destination }, {
            timeoutMs: 10_000,
          });
          if (!expectResult(check, outcome, "route_lookup")) return;
          check.ok(
            !outcome.isError,
            `a global destination was refused: ${show(outcome.text, 240)}`,
          );
          const data = outcome.structured as
            | { found?: boolean; prefix?: string | null }
            | undefined;
          if (data?.found && data.prefix) {
            check.ok(
              covers(data.prefix, destination.split("/")[0]),
              `answered prefix ${data.prefix} does not cover ${destination}`,
            );
          }
          check.ok(
            meter.snapshot().bytes > before.bytes,
            "the query never reached the server (meter)",
          );
          expectClean(check, outcome, "route_lookup");
        },
      }),
    );
  }

  // 4. Wrong types, out-of-range values, huge values: the argument is named.
  const huge = "x".repeat(100_000);
  const badArgs: [string, Record<string, unknown>, RegExp][] = [
    ["route_lookup", { destination: 123 }, /destination/],
    ["route_lookup", { destination: null }, /destination/],
    ["route_lookup", { destination: true }, /destination/],
    ["route_lookup", { destination: ["8.8.8.8"] }, /destination/],
    ["route_lookup", { destination: { address: "8.8.8.8" } }, /destination/],
    ["route_lookup", {}, /destination/],
    ["route_lookup", { destination: "8.8.8.8", server: 5 }, /server/],
    ["route_lookup", { destination: "8.8.8.8", server: huge }, /server/i],
    ["route_lookup", { destination: "8.8.8.8", match: "bogus" }, /match/],
    ["route_lookup", { destination: "8.8.8.8", match: 1 }, /match/],
    ["route_lookup", { destination: "8.8.8.8", match: "LONGEST" }, /match/],
    ["route_lookup", { destination: "8.8.8.8", match: "orlonger" }, /orlonger|prefix/],
    ["route_lookup", { destination: "8.0.0.0/8", match: "orlonger" }, /orlonger|\/16/],
    ["route_lookup", { destination: "8.8.8.8", originAs: -1 }, /originAs/],
    ["route_lookup", { destination: "8.8.8.8", originAs: 1.5 }, /originAs/],
    ["route_lookup", { destination: "8.8.8.8", originAs: 2 ** 32 }, /originAs/],
    ["route_lookup", { destination: "8.8.8.8", originAs: "15169" }, /originAs/],
    ["route_lookup", { destination: "8.8.8.8", originAs: 1e308 }, /originAs/],
    ["route_lookup", { destination: "8.8.8.8", asPathContains: -7 }, /asPathContains/],
    ["route_lookup", { destination: "8.8.8.8", asPathContains: [15169] }, /asPathContains/],
    ["route_lookup", { destination: "8.8.8.8", asPathRegex: 5 }, /asPathRegex/],
    ["route_lookup", { destination: "8.8.8.8", asPathRegex: "1".repeat(101) }, /asPathRegex/],
    ["route_lookup", { destination: "8.8.8.8", asPathRegex: huge }, /asPathRegex/],
    ["route_lookup", { destination: "8.8.8.8", asPathRegex: "(" }, /group|\(|asPathRegex/i],
    ["route_lookup", { destination: "8.8.8.8", asPathRegex: "[1-" }, /class|range|\[|asPathRegex/i],
    [
      "route_lookup",
      { destination: "8.8.8.8", asPathRegex: "\\d+" },
      /escape|backslash|asPathRegex/i,
    ],
    [
      "route_lookup",
      { destination: "8.8.8.8", asPathRegex: "abc" },
      /asPathRegex|letter|not allowed|position/i,
    ],
    [
      "route_lookup",
      { destination: "8.8.8.8", asPathRegex: "_15169$\u001b[2J" },
      /asPathRegex|not allowed|position|control/i,
    ],
    ["route_lookup", { destination: "8.8.8.8", community: 5 }, /community/],
    ["route_lookup", { destination: "8.8.8.8", community: "1".repeat(41) }, /community/],
    ["route_lookup", { destination: "8.8.8.8", community: "65536:1" }, /community/i],
    ["route_lookup", { destination: "8.8.8.8", community: "1:2:3:4" }, /community/i],
    ["route_lookup", { destination: "8.8.8.8", community: "no-such-name" }, /community/i],
    ["route_lookup", { destination: "8.8.8.8", community: "65535:666\u0085" }, /community/i],
    ["route_lookup", { destination: "8.8.8.8", bestOnly: "yes" }, /bestOnly/],
    ["route_lookup", { destination: "8.8.8.8", maxPaths: 0 }, /maxPaths/],
    ["route_lookup", { destination: "8.8.8.8", maxPaths: 501 }, /maxPaths/],
    ["route_lookup", { destination: "8.8.8.8", maxPaths: 1.5 }, /maxPaths/],
    ["route_lookup", { destination: "8.8.8.8", maxPrefixes: 201 }, /maxPrefixes/],
    ["route_compare", {}, /destination/],
    ["route_compare", { destination: 8 }, /destination/],
    ["route_compare", { destination: "8.8.8.8", servers: "none" }, /servers/],
    ["route_compare", { destination: "8.8.8.8", servers: [] }, /servers/],
    ["route_compare", { destination: "8.8.8.8", servers: ["nope"] }, /servers|Unknown/],
    ["route_compare", { destination: "8.8.8.8", servers: Array(41).fill("rig") }, /servers/],
    ["route_compare", { destination: "8.8.8.8", servers: ["rig", 5] }, /servers/],
    ["route_compare", { destination: "8.8.8.8", servers: { rig: true } }, /servers/],
    ["route_compare", { destination: "8.8.8.8", maxServers: 0 }, /maxServers/],
    ["route_compare", { destination: "8.8.8.8", maxServers: 41 }, /maxServers/],
    ["bgp_summary", { addressFamily: "ipv5" }, /addressFamily/],
    ["bgp_summary", { addressFamily: "IPV4" }, /addressFamily/],
    ["bgp_summary", { limit: 0 }, /limit/],
    ["bgp_summary", { limit: 1001 }, /limit/],
    ["bgp_summary", { limit: "10" }, /limit/],
    ["bgp_summary", { server: 1 }, /server/],
    ["list_servers", { probe: "yes" }, /probe/],
    ["list_servers", { probe: 1 }, /probe/],
    ["ping", {}, /destination/],
    ["ping", { destination: "8.8.8.8", count: 0 }, /count/],
    ["ping", { destination: "8.8.8.8", count: 11 }, /count/],
    ["ping", { destination: "8.8.8.8", count: 1e6 }, /count/],
    ["ping", { destination: "8.8.8.8", timeoutSeconds: 0 }, /timeoutSeconds/],
    ["ping", { destination: "8.8.8.8", timeoutSeconds: 6 }, /timeoutSeconds/],
    ["ping", { destination: "8.8.8.8", server: "rig" }, /server/],
    ["ping", { destination: "8.8.8.0/24" }, /one address, not a prefix/],
    ["traceroute", {}, /destination/],
    ["traceroute", { destination: "8.8.8.8", maxHops: 0 }, /maxHops/],
    ["traceroute", { destination: "8.8.8.8", maxHops: 31 }, /maxHops/],
    ["traceroute", { destination: "8.8.8.8", maxHops: 1e9 }, /maxHops/],
    ["traceroute", { destination: "8.8.8.8", timeoutSeconds: 6 }, /timeoutSeconds/],
    ["traceroute", { destination: "8.8.8.8", server: "junos" }, /server/],
  ];
  badArgs.forEach(([tool, args, names], i) => {
    cases.push(refusal({ id: `bad-argument/${tool}/${i}/${show(args, 50)}`, tool, args, names }));
  });

  // 5. Unknown, disabled and odd server names: named, and never the local config path.
  const serverNames = [
    "nope",
    "off",
    "",
    "RIG",
    "rig ",
    " rig",
    "../servers",
    "rig\u0000",
    "rig\u001b[31m",
    "ri\u2028g",
    "r".repeat(5000),
  ];
  for (const name of serverNames) {
    for (
      const tool of rand.sample([
        "route_lookup",
        "bgp_summary",
        "route_compare",
        "ping",
        "traceroute",
      ], 2)
    ) {
      const args = tool === "bgp_summary"
        ? { server: name }
        : tool === "route_compare"
        ? { destination: "8.8.8.8", servers: [name] }
        : { destination: "8.8.8.8", server: name };
      cases.push(
        caseIn(CATEGORY, {
          id: `unknown-server/${tool}/${show(name, 30)}`,
          timeoutMs: TIMEOUT,
          run: async (check) => {
            const process = await slot.get();
            const before = meter.snapshot();
            const outcome = await process.call(tool, args, { timeoutMs: 10_000 });
            expectRefusal(check, outcome, { names: /server/i, what: tool });
            check.ok(
              !outcome.text.includes(config),
              `${tool}: the message shows the local config path`,
            );
            expectNoBytes(check, meter, { before, what: tool });
            await expectAlive(check, process, tool);
          },
        }),
      );
    }
  }

  // 6. AS-path patterns that make a backtracking matcher explode must answer quickly.
  for (
    const pattern of [
      "(1*)*$",
      "(_?1*)*2$",
      "((((1*)*)*)*)*3",
      "(.*)*(.*)*(.*)*4$",
      "(1|11|111)*2$",
    ]
  ) {
    cases.push(
      caseIn(CATEGORY, {
        id: `regex-bomb/${pattern}`,
        timeoutMs: TIMEOUT,
        run: async (check) => {
          const process = await slot.get();
          const outcome = await process.call("route_lookup", {
            destination: "8.8.8.8",
            asPathRegex: pattern,
          }, { timeoutMs: 10_000 });
          if (!expectResult(check, outcome, "route_lookup")) return;
          check.ok(outcome.ms < 5_000, `took ${outcome.ms} ms`);
          if (outcome.isError) {
            check.match(outcome.text, /asPathRegex|pattern|position/i, "refusal");
          }
          expectClean(check, outcome, "route_lookup");
        },
      }),
    );
  }

  // 7. Prompts: their own examples are accepted; missing and unknown arguments are -32602.
  for (const name of ["diagnose_prefix", "explain_as_path"]) {
    cases.push(
      caseIn(CATEGORY, {
        id: `prompt-example/${name}`,
        timeoutMs: TIMEOUT,
        run: async (check) => {
          const process = await slot.get();
          const { prompts } = await process.client.listPrompts();
          const prompt = prompts.find((p) => p.name === name);
          if (!check.ok(prompt !== undefined, `prompt ${name} is not listed`)) return;
          const args: Record<string, string> = {};
          for (const argument of prompt!.arguments ?? []) {
            const example = /e\.g\. ([^\s,;)]+)/.exec(argument.description ?? "")?.[1]?.replace(
              /\.$/,
              "",
            );
            if (argument.required || example) {
              args[argument.name] = example ?? "8.8.8.8";
            }
          }
          const outcome = await process.prompt(name, args);
          check.ok(
            outcome.ok,
            `the prompt's own example ${show(args)} is refused: ${show(outcome.message, 200)}`,
          );
        },
      }),
    );
  }
  cases.push(
    promptRefusal({
      id: "prompt/diagnose_prefix/missing",
      name: "diagnose_prefix",
      args: {},
      names: /prefix/,
    }),
  );
  cases.push(
    promptRefusal({
      id: "prompt/explain_as_path/missing",
      name: "explain_as_path",
      args: {},
      names: /destination/,
    }),
  );
  cases.push(
    promptRefusal({
      id: "prompt/explain_as_path/unknown-server",
      name: "explain_as_path",
      args: {
        destination: "8.8.8.8",
        server: "nope",
      },
      names: /nope|server/,
    }),
  );
  cases.push(
    promptRefusal({
      id: "prompt/explain_as_path/disabled-server",
      name: "explain_as_path",
      args: {
        destination: "8.8.8.8",
        server: "off",
      },
      names: /off|server/,
    }),
  );
  cases.push(
    promptRefusal({
      id: "prompt/unknown",
      name: "no_such_prompt",
      args: {},
      names: /no_such_prompt/,
    }),
  );

  // 8. Resources: unknown ones are errors; none shows the local config path.
  const resourceError = (uri: string) =>
    caseIn(CATEGORY, {
      id: `resource/missing/${show(uri, 40)}`,
      timeoutMs: TIMEOUT,
      run: async (check) => {
        const process = await slot.get();
        const before = meter.snapshot();
        const outcome = await process.resource(uri);
        if (
          check.ok(
            !outcome.ok,
            `${show(uri, 60)} came back as content: ${show(outcome.result, 160)}`,
          )
        ) {
          check.ok(
            outcome.code === -32002 || outcome.code === -32602,
            `error code ${outcome.code} (resource not found is -32002)`,
          );
          check.all(controlCharacterProblems(outcome.message, "resource error"));
          check.ok(
            outcome.message.length <= MAX_MESSAGE,
            `the error is ${outcome.message.length} characters long`,
          );
        }
        check.ok(!JSON.stringify(outcome.result ?? "").includes("root:"), "a local file was shown");
        expectNoBytes(check, meter, { before, what: "resources/read" });
        await expectAlive(check, process, "resources/read");
      },
    });
  for (
    const uri of [
      "servers://nope",
      "servers://off-by-one",
      "servers://%00",
      "servers://" + "a".repeat(5000),
      "file:///etc/passwd",
      "servers://../../etc/passwd",
      "http://127.0.0.1:1/",
    ]
  ) {
    cases.push(resourceError(uri));
  }
  cases.push(
    caseIn(CATEGORY, {
      id: "resource/config-path-not-shown",
      timeoutMs: TIMEOUT,
      run: async (check) => {
        const process = await slot.get();
        const list = await process.resource("servers://list");
        check.ok(list.ok, `servers://list failed: ${list.message}`);
        check.ok(
          !JSON.stringify(list.result).includes(config),
          "servers://list shows the local config path",
        );
        const tool = await process.call("list_servers", {});
        check.ok(
          !tool.text.includes(config) && !JSON.stringify(tool.structured).includes(config),
          "list_servers shows the local config path",
        );
      },
    }),
  );

  // 9. Raw protocol abuse: malformed requests are JSON-RPC errors, and the process keeps serving.
  // Requests that fail the SDK's own request schema come back as -32603 from the SDK (not the
  // product's code): any error is accepted there; what matters is that one comes back.
  const malformed = [-32602, -32603];
  const raw: [string, string, unknown, number[]][] = [
    [
      "arguments-not-object",
      "tools/call",
      { name: "route_lookup", arguments: "8.8.8.8" },
      malformed,
    ],
    ["unknown-tool", "tools/call", { name: "no_such_tool", arguments: {} }, [-32602]],
    ["no-name", "tools/call", { arguments: {} }, malformed],
    ["unknown-method", "bogus/method", {}, [-32601]],
    ["prompt-no-name", "prompts/get", {}, malformed],
    ["resource-no-uri", "resources/read", {}, malformed],
    ["resource-not-a-uri", "resources/read", { uri: "not a uri" }, [-32602, -32002, -32603]],
    ["huge-arguments", "tools/call", {
      name: "route_lookup",
      arguments: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])),
    }, [-32602]],
  ];
  for (const [id, method, params, codes] of raw) {
    cases.push(caseIn(CATEGORY, {
      id: `protocol/${id}`,
      timeoutMs: TIMEOUT,
      run: async (check) => {
        const process = await slot.get();
        const before = meter.snapshot();
        const outcome = await process.raw(method, params);
        const result = outcome.result as
          | { isError?: boolean; content?: { text?: string }[] }
          | undefined;
        // A tool call may answer with an isError result instead of a JSON-RPC error.
        const refused = !outcome.ok ? codes.includes(outcome.code ?? 0) : result?.isError === true;
        check.ok(
          refused,
          `${method}: ${
            outcome.ok
              ? `accepted: ${show(outcome.result, 160)}`
              : `error ${outcome.code}, expected ${codes.join(" or ")}`
          }`,
        );
        check.all(controlCharacterProblems(outcome.message, `${method} error`));
        expectNoBytes(check, meter, { before, what: method });
        await expectAlive(check, process, method);
      },
    }));
  }

  return {
    cases,
    concurrency: 1, // the "no bytes reached a server" meter is shared
    async teardown() {
      await slot.close();
      await Promise.all([relay?.close(), frrFake?.close(), ios.close(), junos.close()]);
    },
  };
}
