/** figures/: inline SVG drawn from report data (pure functions → SVG strings), used by the HTML renderer. */
export { esc, dur, n, svg, statusColor, statusClass, ticks, scale, timeAxis } from './svg.js';
export { sequenceDiagram, storyRows, cycleRows, capRows, type SequenceRow, type SequenceOptions } from './sequence.js';
export { captureTimeline, evidenceTimeline, type TimelineInput, type TimelineMarker, type EvidenceRow } from './timeline.js';
export { scatterOverTime, barChart, hbarChart, stepChart, LATENCY_BUCKETS, latencyBucket, type Point, type Bar, type Series } from './charts.js';
