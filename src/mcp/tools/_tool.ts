/**
 * `queryTool()`: the one wrapper every tool is registered through. The SDK
 * parses the arguments with the input schema; the wrapper runs the query and
 * answers with the compact text rendering and the result as structured
 * content (checked against the output schema), or with an `isError` result
 * that says what happened and what to do — never a thrown error, so the
 * process keeps serving.
 *
 * @module
 */

import type { z } from "zod";
import type {
  CallToolResult,
  McpServer,
  RequestHandlerExtra,
  ServerNotification,
  ServerRequest,
  ToolAnnotations,
  ToolCallback,
} from "../_sdk.ts";
import { describeError } from "../../service/describe_error.ts";
import { ATTRIBUTION_TEXT, DATA_CREDITS, DATA_LICENCE } from "../../names/attribution.ts";
import type { Output } from "./_schemas.ts";
import type { ImageContent } from "../../picture/content.ts";

/** The `_meta` key of a result's AS-names attribution. */
export const NAMES_META_KEY = "bgp-lg-mcp/asNames";

/**
 * The tool result's `_meta` for an answer that uses the AS-names dataset
 * (it has `namesAsOf`): the dataset's date, licence and sources, which its
 * licence (CC BY 4.0) asks every use to credit.
 */
export function namesMeta(result: object): Record<string, unknown> | undefined {
  const date = (result as { namesAsOf?: unknown }).namesAsOf;
  if (typeof date !== "string") return undefined;
  return {
    [NAMES_META_KEY]: {
      asOf: date,
      attribution: ATTRIBUTION_TEXT,
      licence: DATA_LICENCE,
      sources: DATA_CREDITS,
    },
  };
}

/** What a tool's query is given besides its arguments: the cancellation signal, progress. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Annotations for a tool that only reads from public servers. */
export const QUERY_ANNOTATIONS = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
} as const;

/** One tool: what the client is told about it, the query it runs, and how its answer reads. */
export interface QueryTool<Input extends z.ZodRawShape, OutputShape extends z.ZodRawShape> {
  /** The tool's name (`route_lookup`). */
  name: string;
  /** Its title, also the annotations' title. */
  title: string;
  /** What it does, for the model. */
  description: string;
  /** Its arguments, each described. */
  inputSchema: Input;
  /** Its structured content, each field described (see `_schemas.ts`). */
  outputSchema: OutputShape;
  /** Hints beyond {@linkcode QUERY_ANNOTATIONS} (a measurement is not idempotent). */
  annotations?: Partial<ToolAnnotations>;
  /**
   * Runs the query on parsed arguments.
   *
   * @throws whatever the query throws: it becomes an `isError` result
   */
  run(args: z.output<z.ZodObject<Input>>, extra: ToolExtra): Promise<Output<OutputShape>>;
  /** The text a person or a model reads first. */
  render(result: Output<OutputShape>): string;
  /**
   * Content after the text (the PNG picture), made once the query has
   * answered; the result comes back with a warning for what could not be
   * made. Never throws: an attachment cannot fail the call.
   */
  attach?(
    result: Output<OutputShape>,
    args: z.output<z.ZodObject<Input>>,
  ): Promise<Attached<Output<OutputShape>>>;
}

/** A result with the content items attached after its text. */
export interface Attached<Result> {
  /** The result, with a warning added for an item that could not be made. */
  result: Result;
  /** The items, e.g. an MCP image. */
  content: ImageContent[];
}

/** Registers `tool` on the MCP server. */
export function queryTool<Input extends z.ZodRawShape, OutputShape extends z.ZodRawShape>(
  server: McpServer,
  tool: QueryTool<Input, OutputShape>,
): void {
  const { name, title, description, inputSchema, outputSchema } = tool;
  const annotations = { title, ...QUERY_ANNOTATIONS, ...tool.annotations };
  const handler = async (args: z.output<z.ZodObject<Input>>, extra: ToolExtra) => {
    let result: Output<OutputShape>;
    try {
      result = await tool.run(args, extra);
    } catch (error) {
      return errorResult(error);
    }
    let attached: ImageContent[] = [];
    if (tool.attach) ({ result, content: attached } = await tool.attach(result, args));
    const meta = namesMeta(result);
    return {
      content: [{ type: "text" as const, text: tool.render(result) }, ...attached],
      structuredContent: { ...result },
      ...(meta ? { _meta: meta } : {}),
    };
  };
  server.registerTool(
    name,
    { title, description, inputSchema, outputSchema, annotations },
    // The SDK types the callback with a conditional type on the input shape, which TypeScript
    // cannot resolve for a generic one; its arguments are `z.output` of that shape, as here.
    handler as unknown as ToolCallback<Input>,
  );
}

/** Turns any failure into an `isError` tool result with an actionable message. */
export function errorResult(error: unknown): CallToolResult {
  return { isError: true, content: [{ type: "text", text: describeError(error) }] };
}
