"""The OpenAI Agents SDK for Python with `ponder serve` as its model: an agent run through the Chat
Completions model and the Responses model, streamed and not, and with a function tool of its own.
The one argument is a JSON object naming the cases to run, each with its question; each case's
findings (or its exception) go into one JSON object on stdout, read by python-clients.test.ts."""

import asyncio
import json
import os
import sys
import traceback

from agents import Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, Runner, function_tool, set_tracing_disabled
from openai import AsyncOpenAI
from openai.types.responses import ResponseTextDeltaEvent

# Traces would go to OpenAI's servers; this machine talks only to Ponder.
set_tracing_disabled(True)
client = AsyncOpenAI(base_url=os.environ["PONDER_BASE_URL"], api_key="no-key", max_retries=0)
model_name = "ponder/openai:gpt-5-mini"
calls_of_client_tool = []


@function_tool
def lookup_code(name: str) -> str:
    """The secret code of a name."""
    calls_of_client_tool.append(name)
    return f"code-{name}-7"


def agent(model, tools=()):
    return Agent(name="Assistant", instructions="Answer briefly.", model=model, tools=list(tools))


def chat_model():
    return OpenAIChatCompletionsModel(model=model_name, openai_client=client)


def responses_model():
    return OpenAIResponsesModel(model=model_name, openai_client=client)


async def run(model, question):
    result = await Runner.run(agent(model), question)
    return {"final_output": result.final_output}


async def run_streamed(model, question):
    result = Runner.run_streamed(agent(model), question)
    deltas = ""
    async for event in result.stream_events():
        if event.type == "raw_response_event" and isinstance(event.data, ResponseTextDeltaEvent):
            deltas += event.data.delta
    return {"final_output": result.final_output, "deltas": deltas}


async def client_tool(model, question):
    calls_of_client_tool.clear()
    result = await Runner.run(agent(model, [lookup_code]), question)
    return {"final_output": result.final_output, "client_tool_calls": calls_of_client_tool}


cases = {
    "chat": lambda question: run(chat_model(), question),
    "chat_streamed": lambda question: run_streamed(chat_model(), question),
    "responses": lambda question: run(responses_model(), question),
    "responses_streamed": lambda question: run_streamed(responses_model(), question),
    "responses_computed": lambda question: run(responses_model(), question),
    "chat_client_tool": lambda question: client_tool(chat_model(), question),
    "responses_client_tool": lambda question: client_tool(responses_model(), question),
}


async def main():
    results = {}
    for name, question in json.loads(sys.argv[1]).items():
        try:
            results[name] = await cases[name](question)
        except Exception:
            results[name] = {"exception": traceback.format_exc()}
    print(json.dumps(results, default=str))


asyncio.run(main())
