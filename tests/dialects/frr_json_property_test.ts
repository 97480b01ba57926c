/**
 * Property-based tests (fast-check) for the FRR JSON parsers: FRR-shaped
 * answers with every field of a random type give a sound result or a
 * ParseError — never an AS number outside 0..4294967295, never a TypeError.
 */

import { checkParser, MAX_ASN, parserCase } from "./_parser_cases.ts";
import { fc, seedProperties } from "../_property.ts";

seedProperties("tests/dialects/frr_json_property_test.ts");

/** Any JSON value that is not a number (numbers where an ASN goes are the bug below). */
const nonNumberJunk = fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== "number");

function maybe(arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: nonNumberJunk });
}

const validAsn = fc.oneof(
  fc.integer({ min: 0, max: MAX_ASN }),
  fc.constantFrom(0, 65535, 65536, MAX_ASN),
);
/** Every kind of JSON number where an ASN goes. */
const anyNumberAsn = fc.oneof(
  validAsn,
  fc.integer({ min: -1_000_000, max: -1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(MAX_ASN + 1, 2 ** 53, 1.5, -0.5, 1e300),
);

/** FRR JSON answers with every field of a random type: route, table and summary shapes. */
function frrShapes(asn: fc.Arbitrary<unknown>, asObject: fc.Arbitrary<unknown> = nonNumberJunk) {
  const word = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      "IGP",
      "EGP",
      "incomplete",
      "i",
      "?",
      "valid",
      "invalid",
      "notfound",
      "global",
      "link-local",
      "Established",
      "8.8.8.0/24",
    ),
  );
  const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const asnText = fc.oneof(asn.map(String), fc.constantFrom("1.2", "65536.1", "x", ""));
  const asPathText = fc.oneof(
    fc.array(
      fc.oneof(
        asnText,
        fc.array(asnText, { minLength: 1, maxLength: 3 }).map((a) => `{${a.join(",")}}`),
        fc.array(asnText, { minLength: 1, maxLength: 3 }).map((a) => `(${a.join(" ")})`),
      ),
      { maxLength: 8 },
    ).map((tokens) => tokens.join(" ")),
    fc.constantFrom("", "Local", "{", "(1"),
  );
  const segment = fc.record({
    type: maybe(fc.constantFrom("as-sequence", "as-set", "as-confed-sequence", "as-confed-set")),
    list: maybe(
      fc.array(fc.oneof({ weight: 4, arbitrary: asn }, { weight: 1, arbitrary: nonNumberJunk }), {
        maxLength: 6,
      }),
    ),
  }, { requiredKeys: [] });
  const aspath = fc.oneof(
    fc.record({
      string: maybe(asPathText),
      segments: maybe(fc.array(segment, { maxLength: 4 })),
      length: maybe(fc.nat()),
    }, { requiredKeys: [] }),
    asPathText,
    nonNumberJunk,
  );
  const listOf = (item: fc.Arbitrary<unknown>) => maybe(fc.array(item, { maxLength: 3 }));
  const stringHolder = fc.record({ string: maybe(word), list: listOf(word) }, { requiredKeys: [] });
  const path = fc.record({
    aspath,
    path: maybe(asPathText),
    origin: maybe(word),
    nexthops: listOf(
      fc.record({
        ip: maybe(word),
        scope: maybe(fc.constantFrom("global", "link-local")),
        used: maybe(fc.boolean()),
      }, { requiredKeys: [] }),
    ),
    peer: maybe(fc.record({ peerId: maybe(word), routerId: maybe(word) }, { requiredKeys: [] })),
    peerId: maybe(word),
    bestpath: maybe(
      fc.oneof(fc.boolean(), fc.record({ overall: maybe(fc.boolean()) }, { requiredKeys: [] })),
    ),
    valid: maybe(fc.boolean()),
    metric: maybe(number),
    med: maybe(number),
    locPrf: maybe(number),
    localpref: maybe(number),
    community: maybe(stringHolder),
    largeCommunity: maybe(stringHolder),
    extendedCommunity: maybe(stringHolder),
    rpkiValidationState: maybe(word),
    lastUpdate: maybe(fc.record({ epoch: maybe(number), string: maybe(word) }, {
      requiredKeys: [],
    })),
  }, { requiredKeys: [] });
  const route = fc.oneof(
    fc.constant({}),
    fc.record({ prefix: maybe(word), paths: listOf(path) }, { requiredKeys: [] }),
  );
  const table = fc.oneof(
    fc.constant({}),
    fc.record({
      routes: maybe(fc.dictionary(word, listOf(path), { maxKeys: 3 })),
      routerId: maybe(word),
    }, { requiredKeys: [] }),
  );
  const asField = fc.oneof({ weight: 4, arbitrary: asn }, { weight: 1, arbitrary: asObject });
  const peer = fc.record({
    remoteAs: asField,
    state: maybe(fc.constantFrom("Established", "Active", "Idle")),
    pfxRcd: maybe(number),
    prefixReceivedCount: maybe(number),
    peerUptime: maybe(word),
  }, { requiredKeys: [] });
  const family = fc.record({
    routerId: maybe(word),
    as: asField,
    peers: maybe(fc.dictionary(word, maybe(peer), { maxKeys: 4 })),
  }, { requiredKeys: [] });
  const summary = fc.oneof(
    family,
    fc.dictionary(fc.constantFrom("ipv4Unicast", "ipv6Unicast", "other"), maybe(family), {
      maxKeys: 2,
    }),
  );
  return { route, table, summary };
}

function frrJsonInputs(shapes: ReturnType<typeof frrShapes>) {
  const text = (value: fc.Arbitrary<unknown>) =>
    fc.tuple(value, fc.constantFrom("", "show bgp ipv4 unicast 8.8.8.8 json\n"), fc.boolean())
      .map(([v, prefix, pretty]) => prefix + JSON.stringify(v, null, pretty ? 2 : undefined));
  return fc.oneof(
    text(shapes.route).map((t) => ({ c: parserCase("parseFrrRouteJson"), text: t })),
    text(shapes.table).map((t) => ({ c: parserCase("parseFrrTableJson"), text: t })),
    text(shapes.summary).map((t) => ({ c: parserCase("parseFrrSummaryJson"), text: t })),
  );
}

Deno.test("parsers: FRR-shaped JSON with random field types gives sound results or ParseError", () => {
  fc.assert(
    fc.property(frrJsonInputs(frrShapes(validAsn)), ({ c, text }) => checkParser(c, text)),
    { numRuns: 600 },
  );
});

Deno.test({
  // Guards a fixed bug (src/dialects/frr_json.ts: the path's segments, `num(family.as)`,
  // `num(peer.remoteAs)`): JSON numbers are taken as ASNs without a range or integer check,
  // so asPath/originAs/localAs/asn can be -1, 1.5 or 2^53.
  name: "parsers: FRR JSON never yields an ASN outside 0..4294967295",
  fn() {
    fc.assert(
      fc.property(frrJsonInputs(frrShapes(anyNumberAsn)), ({ c, text }) => checkParser(c, text)),
      { numRuns: 600 },
    );
  },
});

Deno.test({
  // Guards a fixed bug (src/dialects/frr_json.ts: `String(family.as ?? "")`, `String(peer.remoteAs …)`):
  // an object with an own "toString" key makes String() throw a TypeError, not a ParseError.
  name: "parsers: FRR summary JSON with object-valued AS fields gives a ParseError",
  fn() {
    const asObject = fc.dictionary(fc.constantFrom("toString", "valueOf", "x"), nonNumberJunk, {
      minKeys: 1,
      maxKeys: 3,
    });
    fc.assert(
      fc.property(
        frrJsonInputs(frrShapes(validAsn, asObject)),
        ({ c, text }) => checkParser(c, text),
      ),
      { numRuns: 600 },
    );
  },
});
