"""The `openai` Python client against `ponder serve`: chat and responses, streamed and not (raw
events, the client's stream helpers that rebuild the answer from the events, and the async
client), and background responses polled until done and cancelled. The one argument is a JSON object naming the
cases to run, each with its question; each case's findings (or its exception) go into one JSON
object on stdout, read by python-clients.test.ts, where the assertions are."""

import asyncio
import json
import os
import sys
import time
import traceback

from openai import AsyncOpenAI, OpenAI

client = OpenAI(base_url=os.environ["PONDER_BASE_URL"], api_key="no-key", max_retries=0)
model = "ponder/openai:gpt-5-mini"


def chat(question):
    completion = client.chat.completions.create(model=model, messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": question}])
    choice = completion.choices[0]
    return {
        "content": choice.message.content,
        "finish_reason": choice.finish_reason,
        "tool_calls": choice.message.tool_calls,
        "total_tokens": completion.usage.total_tokens,
    }


def chat_stream(question):
    stream = client.chat.completions.create(model=model, messages=[{"role": "user", "content": question}], stream=True, stream_options={"include_usage": True})
    content, pieces, finish_reason, tool_calls, total_tokens = "", 0, None, 0, None
    for chunk in stream:
        if chunk.usage is not None:
            total_tokens = chunk.usage.total_tokens
        for choice in chunk.choices:
            content += choice.delta.content or ""
            pieces += 1 if choice.delta.content else 0
            tool_calls += len(choice.delta.tool_calls or [])
            finish_reason = choice.finish_reason or finish_reason
    return {"content": content, "pieces": pieces, "finish_reason": finish_reason, "tool_calls": tool_calls, "total_tokens": total_tokens}


def responses(question):
    response = client.responses.create(model=model, input=question, reasoning={"effort": "low"})
    return {"status": response.status, "output_text": response.output_text, "effort": response.reasoning.effort, "id": response.id}


def responses_stream(question):
    stream = client.responses.create(model=model, input=[{"role": "user", "content": question}], stream=True)
    types, text, pieces, completed = [], "", 0, None
    for event in stream:
        types.append(event.type)
        if event.type == "response.output_text.delta":
            text += event.delta
            pieces += 1
        if event.type == "response.completed":
            completed = event.response
    return {"first": types[0], "last": types[-1], "text": text, "pieces": pieces, "output_text": completed.output_text if completed else None}


def chat_stream_helper(question):
    with client.chat.completions.stream(model=model, messages=[{"role": "user", "content": question}]) as stream:
        for _event in stream:
            pass
        completion = stream.get_final_completion()
    return {"content": completion.choices[0].message.content, "finish_reason": completion.choices[0].finish_reason}


def responses_stream_helper(question):
    with client.responses.stream(model=model, input=question) as stream:
        for _event in stream:
            pass
        response = stream.get_final_response()
    return {"status": response.status, "output_text": response.output_text}


def async_responses_stream(question):
    async def run():
        async_client = AsyncOpenAI(base_url=os.environ["PONDER_BASE_URL"], api_key="no-key", max_retries=0)
        text = ""
        async for event in await async_client.responses.create(model=model, input=question, stream=True):
            if event.type == "response.output_text.delta":
                text += event.delta
        return {"text": text}

    return asyncio.run(run())


def terminal(response):
    return response.status not in ("queued", "in_progress")


def background(question):
    created = client.responses.create(model=model, input=question, background=True)
    # Background responses are meant to be polled; the test's timeout bounds the loop.
    retrieved = client.responses.retrieve(created.id)
    while not terminal(retrieved):
        time.sleep(0.05)
        retrieved = client.responses.retrieve(created.id)
    return {"created_status": created.status, "background": created.background, "status": retrieved.status, "output_text": retrieved.output_text}


def background_cancel(question):
    created = client.responses.create(model=model, input=question, background=True)
    cancelled = client.responses.cancel(created.id)
    return {"cancelled_status": cancelled.status, "retrieved_status": client.responses.retrieve(created.id).status}


def not_found(question):
    try:
        client.responses.retrieve(question)
    except Exception as error:  # the client's own exception class is what the test looks at
        return {"error_class": type(error).__name__, "status": getattr(error, "status_code", None)}
    return {"error_class": None}


cases = {
    "chat": chat,
    "chat_stream": chat_stream,
    "responses": responses,
    "responses_stream": responses_stream,
    "chat_stream_helper": chat_stream_helper,
    "responses_stream_helper": responses_stream_helper,
    "async_responses_stream": async_responses_stream,
    "background": background,
    "background_cancel": background_cancel,
    "not_found": not_found,
}
results = {}
for name, question in json.loads(sys.argv[1]).items():
    try:
        results[name] = cases[name](question)
    except Exception:
        results[name] = {"exception": traceback.format_exc()}
print(json.dumps(results, default=str))
