/** Kept in step with package.json by the release script. */
export const OPSLOOM_VERSION = '0.1.0';
