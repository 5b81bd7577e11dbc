/**
 * Statistics the way the Ministry reports them (docs/REPORTS.md): the THADS
 * statistical calendar, the events reports are computed from, and the money
 * report with its closing rule.
 */
export * from "./period.ts"
export * from "./events.ts"
export * from "./figures.ts"
export * from "./money-report.ts"
export * from "./document.ts"
export * from "./snapshot.ts"
export * from "./closing.ts"
