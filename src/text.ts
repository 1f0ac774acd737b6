/** Counted nouns for messages: `1 tenant`, `2 tenants`, `0 services` (irregular plurals passed in). */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
