// The wire shapes the latest dashboard (presto-changeo 8216577) reads, for
// scripts/typecheck_dashboard.py. Copied by it into the dashboard's src/ as
// persona_kit_wire.ts, next to the generated persona_kit_messages.ts.
//
// The dashboard exports its persona and mode types (src/types/mode.ts), its metric
// (src/components/MetricsPanel.tsx) and its envelope (src/lib/websocket.ts); those are
// imported, never re-declared. App.tsx reads every payload through an inline `as` cast,
// so those shapes are written out here, each citing the lines it mirrors.
import type { ChartRenderer } from './components/ChartRenderer'
import type { Metric } from './components/MetricsPanel'
import type { WebSocketMessage } from './lib/websocket'
import type { BasePersona, Mode, ModeTab, Persona } from './types/mode'

type ChartProps = Parameters<typeof ChartRenderer>[0]

// T with any extra property allowed at every depth: the dashboard reads a persona's fields and
// ignores the rest (README: "Extra fields are ignored"), so a persona literal is checked
// `satisfies WithExtras<BankingPersona>`: every field the type names must have its type, every
// mistyped field is reported (not only the first), and fields the type does not name pass.
export type WithExtras<T> = T extends readonly (infer U)[]
  ? WithExtras<U>[]
  : T extends object
    ? { [K in keyof T]: WithExtras<T[K]> } & { [key: string]: unknown }
    : T

// src/App.tsx:285 opens a bubble on `chat_start` and reads no payload.
export interface ChatStartMessage extends WebSocketMessage {
  type: 'chat_start'
}

// src/App.tsx:303 `message.payload as { text: string; done: boolean }`
export interface ChatChunkPayload {
  text: string
  done: boolean
}

export interface ChatChunkMessage extends WebSocketMessage {
  type: 'chat_chunk'
  payload: ChatChunkPayload
}

// src/App.tsx:326 `message.payload as { error: string }`, shown as `Error: ${error}`
export interface ChatErrorPayload {
  error: string
}

// persona_kit's own chat_error fields (persona_kit.protocol.ChatErrorPayload: `message` repeats
// `error`, `code` names the failure), which the dashboard never reads. Declared, untyped, so
// that any other name is still an excess-property error.
export interface PersonaKitChatErrorFields {
  message?: unknown
  code?: unknown
}

export interface ChatErrorMessage extends WebSocketMessage {
  type: 'chat_error'
  payload: ChatErrorPayload & PersonaKitChatErrorFields
}

// src/App.tsx:341-345 (the cast of a show_chart result), handed to ChartRenderer's props
// (src/components/ChartRenderer.tsx:24-28), whose types are used here
export interface ShowChartResult {
  chart_type: ChartProps['chartType']
  title: string
  data: ChartProps['data']
}

// src/App.tsx:355-357 (the cast of a show_metrics result): the same shape as MetricsPanel's Metric
export interface ShowMetricsResult {
  metrics: Metric[]
}

// src/App.tsx:338 `message.payload as { tool: string; result: Record<string, unknown> }`, then
// narrowed on `tool` (App.tsx:340, 354); a tool named otherwise is ignored
export type ToolResultPayload =
  | { tool: 'show_chart'; result: ShowChartResult }
  | { tool: 'show_metrics'; result: ShowMetricsResult }

export interface ToolResultMessage extends WebSocketMessage {
  type: 'tool_result'
  payload: ToolResultPayload
}

// src/App.tsx:386-407 `interface BackendModePayload`, its `mode` (tabs and defaultMetrics
// have the exported types ModeTab and Mode['defaultMetrics'], identical to the inline ones;
// the same shape is declared again for voice at App.tsx:160-181)
export interface BackendMode {
  id: string
  name: string
  company_name: string
  tagline: string
  theme: {
    primary: string
    secondary: string
    background: string
    surface: string
    text: string
    text_muted: string
  }
  tabs: ModeTab[]
  defaultMetrics: Mode['defaultMetrics']
  background_image?: string | null
  hero_image?: string | null
  chat_image?: string | null
}

export interface ModeSwitchPayload {
  mode: BackendMode
  persona?: Persona
}

export interface ModeSwitchMessage extends WebSocketMessage {
  type: 'mode_switch'
  payload: ModeSwitchPayload
}

// A persona of a kind the dashboard has no type for (telecom, a custom mode). App.tsx:408 casts
// any payload to BackendModePayload, so at run time it is accepted; App.tsx then only stores it
// and tests it for truthiness (lines 39, 47, 437-439), and getMetricsFromPersona
// (src/lib/personaMetrics.ts:24-59) returns [] for a mode id it does not know. So such a persona
// is checked against BasePersona, the part every Persona shares, not the Persona union.
export interface ModeSwitchOtherPersonaMessage extends WebSocketMessage {
  type: 'mode_switch'
  payload: Omit<ModeSwitchPayload, 'persona'> & { persona?: BasePersona }
}

// `chat_cleared` and `error` have no branch in App.tsx (284-454): the dashboard ignores them,
// so only the envelope (src/lib/websocket.ts:8-11) applies.
export interface ChatClearedMessage extends WebSocketMessage {
  type: 'chat_cleared'
}

export interface ErrorMessage extends WebSocketMessage {
  type: 'error'
}
