export * from './types.js';
export { csvToImport, importToCsv, CI_CSV_COLUMNS, RELATIONSHIP_CSV_COLUMNS } from './csv.js';
export { backstageToImport, entityRefKey } from './backstage.js';
