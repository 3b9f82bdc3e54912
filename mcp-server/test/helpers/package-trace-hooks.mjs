// Module hooks (node:module register) that print every bare package specifier the loaded program
// imports from outside node_modules, one `package <name>` line on stderr each, as it is resolved.
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const fromOurs = context.parentURL !== undefined && !context.parentURL.includes('/node_modules/');
  if (fromOurs && !/^(\.|\/|node:|file:|data:)/.test(specifier)) process.stderr.write(`package ${specifier}\n`);
  return resolved;
}
