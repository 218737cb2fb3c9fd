// Drives a running `astro serve` with the official OpenAI Node client (package.json pins it), as a
// third-party client would: models, completions, chat, streaming, n, seeds, stop strings, and
// errors surfacing as the library's APIError with their status. Started by
// tests/serve/serve_openai_node_test.cpp with ASTRO_SERVE_URL, ASTRO_SERVE_MODEL and
// ASTRO_SERVE_API_KEY set; prints "ok NAME" or "FAIL NAME: why" per check, exits 1 on a failure.
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.ASTRO_SERVE_URL;
const model = process.env.ASTRO_SERVE_MODEL;
const apiKey = process.env.ASTRO_SERVE_API_KEY;
assert.ok(baseURL && model && apiKey, 'set ASTRO_SERVE_URL, ASTRO_SERVE_MODEL, ASTRO_SERVE_API_KEY');

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
let failures = 0;

async function check(name, body) {
  try {
    await body();
    console.log(`ok ${name}`);
  } catch (error) {
    failures += 1;
    console.log(`FAIL ${name}: ${error?.stack ?? error}`);
  }
}

async function expectApiError(status, param, call) {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof OpenAI.APIError, `not an APIError: ${error}`);
    assert.equal(error.status, status, error.message);
    if (param !== undefined) assert.equal(error.param, param, error.message);
    assert.equal(typeof error.error?.message, 'string');
    return;
  }
  assert.fail(`expected an APIError with status ${status}`);
}

// Sampled completion of a fixed prompt; extra fields go into the body as they are.
const sample = (extra) =>
  client.completions.create({ model, prompt: 'x = 3 + 4', max_tokens: 12, temperature: 1, ...extra });

await check('models.list names the served model', async () => {
  const models = await client.models.list();
  assert.deepEqual(models.data.map((m) => m.id), [model]);
});

await check('completion: text, finish reason, usage; same seed, same text', async () => {
  const first = await sample({ seed: 3 });
  const again = await sample({ seed: 3 });
  assert.equal(first.object, 'text_completion');
  assert.equal(typeof first.choices[0].text, 'string');
  assert.ok(['stop', 'length'].includes(first.choices[0].finish_reason));
  assert.ok(first.usage.completion_tokens >= 1 && first.usage.completion_tokens <= 12);
  assert.equal(first.usage.total_tokens, first.usage.prompt_tokens + first.usage.completion_tokens);
  assert.equal(again.choices[0].text, first.choices[0].text);
});

await check('n: choice j equals a one-choice request seeded s + j', async () => {
  const many = await sample({ seed: 40, n: 3, logprobs: 1, return_tokens_as_token_ids: true });
  assert.deepEqual(many.choices.map((c) => c.index), [0, 1, 2]);
  for (let j = 0; j < 3; j += 1) {
    const one = await sample({ seed: 40 + j, logprobs: 1, return_tokens_as_token_ids: true });
    assert.deepEqual(many.choices[j].logprobs.tokens, one.choices[0].logprobs.tokens);
    assert.ok(one.choices[0].logprobs.tokens.every((t) => /^token_id:\d+$/.test(t)));
  }
});

await check('stop: the text ends before the first stop string', async () => {
  const greedy = { temperature: 0, max_tokens: 40, ignore_eos: true };
  const whole = (await sample(greedy)).choices[0].text;
  assert.ok(whole.length >= 6, `too short to cut: ${JSON.stringify(whole)}`);
  const stop = whole.slice(3, 5);
  const cut = await sample({ ...greedy, stop: [stop] });
  assert.equal(cut.choices[0].text, whole.slice(0, whole.indexOf(stop)));
  assert.equal(cut.choices[0].finish_reason, 'stop');
});

await check('chat completion: assistant message', async () => {
  const chat = await client.chat.completions.create({
    model, messages: [{ role: 'user', content: 'What is 3 + 4?' }], max_tokens: 10, seed: 8,
  });
  assert.equal(chat.object, 'chat.completion');
  assert.equal(chat.choices[0].message.role, 'assistant');
  assert.equal(typeof chat.choices[0].message.content, 'string');
});

await check('streamed completion assembles to the whole one, with usage', async () => {
  const request = { seed: 21, n: 2, stop: ['\n'], max_tokens: 30 };
  const whole = await sample(request);
  const stream = await sample({ ...request, stream: true, stream_options: { include_usage: true } });
  const texts = ['', ''];
  const finish = [null, null];
  let usage = null;
  for await (const chunk of stream) {
    assert.equal(chunk.object, 'text_completion');
    for (const choice of chunk.choices) {
      texts[choice.index] += choice.text;
      if (choice.finish_reason) finish[choice.index] = choice.finish_reason;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.deepEqual(texts, whole.choices.map((c) => c.text));
  assert.deepEqual(finish, whole.choices.map((c) => c.finish_reason));
  assert.deepEqual(usage, whole.usage);
});

await check('streamed chat assembles to the whole one; first delta has the role', async () => {
  const request = { model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 16, seed: 5 };
  const whole = await client.chat.completions.create(request);
  const stream = await client.chat.completions.create({ ...request, stream: true });
  let text = '';
  let role = null;
  let finish = null;
  for await (const chunk of stream) {
    assert.equal(chunk.object, 'chat.completion.chunk');
    const choice = chunk.choices[0];
    role ??= choice.delta.role;
    text += choice.delta.content ?? '';
    finish = choice.finish_reason ?? finish;
  }
  assert.equal(role, 'assistant');
  assert.equal(text, whole.choices[0].message.content);
  assert.equal(finish, whole.choices[0].finish_reason);
});

await check('errors arrive as APIError with status and param', async () => {
  await expectApiError(400, 'bogus', () => sample({ bogus: 1 }));
  await expectApiError(400, 'temperature', () => sample({ temperature: -1 }));
  await expectApiError(400, 'max_tokens', () => sample({ max_tokens: 100000 }));
  await expectApiError(404, 'model', () => sample({ model: 'no-such-model' }));
  const wrongKey = new OpenAI({ baseURL, apiKey: 'wrong-key', maxRetries: 0 });
  await expectApiError(401, undefined, () => wrongKey.models.list());
  await expectApiError(400, 'messages[0].role', () =>
    client.chat.completions.create({ model, messages: [{ role: 'robot', content: 'x' }] }));
});

console.log(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
