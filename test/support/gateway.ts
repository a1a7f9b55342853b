/** A function that answers every HTTP trigger with its own event, for checking what it received. */
export const ECHO = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-echo': 'yes' },
  cookies: ['seen=1; Path=/'],
  body: JSON.stringify(event),
});`;
