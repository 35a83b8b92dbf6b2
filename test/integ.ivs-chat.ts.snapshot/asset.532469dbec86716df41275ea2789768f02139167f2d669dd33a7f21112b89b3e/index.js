// A message review handler for the end-to-end tests and the integ stack: it rewrites (masks the words in
// MASKED_WORDS and marks the message reviewed) or denies (any word in DENIED_WORDS, with a Reason the sender sees).
const words = (name) => (process.env[name] || '').split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
const MASKED_WORDS = words('MASKED_WORDS');
const DENIED_WORDS = words('DENIED_WORDS');

exports.handler = async (event) => {
  const content = String(event.Content || '');
  const denied = content.toLowerCase().split(/[^\p{L}\p{N}]+/u).find((word) => DENIED_WORDS.includes(word));
  if (denied) {
    return { ReviewResult: 'DENY', Attributes: { Reason: `"${denied}" is not allowed here` } };
  }
  const masked = content.replace(/[\p{L}\p{N}]+/gu, (word) => (MASKED_WORDS.includes(word.toLowerCase()) ? '*'.repeat(word.length) : word));
  return { ReviewResult: 'ALLOW', Content: masked, Attributes: { ...event.Attributes, reviewed: 'true' } };
};
