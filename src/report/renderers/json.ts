import { writeJson } from '../../util/json-stream.js';
import { reportJson } from '../model.js';
import type { Renderer } from './types.js';

/** The versioned JSON report of docs/report.md (docs/report.schema.json). */
export const jsonRenderer: Renderer = {
  format: 'json',
  describe: 'the versioned report of docs/report.md',
  // JSON reports carry the stories (capture.connections[].events) of the first 100 AJP connections.
  wantsStories: true,
  capture: (m) => JSON.stringify(reportJson(m), null, 2) + '\n',
  diagnosis: (m) => JSON.stringify(m.report, null, 2) + '\n',
  // The same bytes, written as they are produced (util/json-stream.ts).
  writeCapture: (m, _o, write) => writeJson(reportJson(m), write),
  writeDiagnosis: (m, _o, write) => writeJson(m.report, write),
};
