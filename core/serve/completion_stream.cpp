// Server-sent events of a streamed completion (completion_stream.h).
#include "core/serve/completion_stream.h"

namespace astro::serve {

CompletionStream::CompletionStream(ResponseContext context, std::size_t choiceCount,
                                   int64_t promptTokens)
    : context_(std::move(context)), promptTokens_(promptTokens) {
  for (std::size_t i = 0; i < choiceCount; ++i) {
    choices_.push_back({.text = StreamedText(context_.stop, context_.includeStopStrInOutput)});
  }
}

std::string CompletionStream::update(const std::vector<ChoiceProgress>& choices) {
  std::string events;
  bool chat = context_.endpoint == Endpoint::kChatCompletions;
  for (std::size_t index = 0; index < choices_.size() && index < choices.size(); ++index) {
    ChoiceState& state = choices_[index];
    const ChoiceProgress& progress = choices[index];
    if (state.finished) continue;
    if (state.started && !progress.finished && progress.ids.size() == state.sentTokens) continue;
    if (!progress.error.empty()) {
      events += errorEvent("choice " + std::to_string(index) + ": " + progress.error);
      state.finished = true;
      continue;
    }
    std::size_t sent = std::min(state.sentTokens, progress.ids.size());
    std::span<const int32_t> newIds(progress.ids.data() + sent, progress.ids.size() - sent);
    std::span<const float> newLogprobs;
    if (progress.logprobs.size() >= progress.ids.size()) {
      newLogprobs = {progress.logprobs.data() + sent, newIds.size()};
    }
    std::string text =
        decodeGenerated(context_.tokenizer, progress.ids, /*skipSpecialTokens=*/true);
    ChunkPiece piece{.index = int64_t(index),
                     .text = state.text.advance(text, progress.finished),
                     .ids = newIds,
                     .logprobs = newLogprobs,
                     .textOffset = state.textOffset,
                     .firstDelta = chat && !state.started};
    if (progress.finished || state.text.stopped()) {
      piece.finishReason = finishReasonText(progress.reason, state.text.stopped());
      state.finished = true;
      completionTokens_ += int64_t(progress.ids.size());
    }
    bool newLogprobsToSend = context_.logprobs && !newIds.empty();
    if (!piece.text.empty() || newLogprobsToSend || piece.finishReason || piece.firstDelta) {
      events += chunkEvent(context_, piece);
    }
    state.started = true;
    state.sentTokens = progress.ids.size();
    if (context_.logprobs) {
      state.textOffset += int64_t(decodeGenerated(context_.tokenizer, newIds, true).size());
    }
  }
  return events;
}

bool CompletionStream::finished() const {
  for (const ChoiceState& state : choices_) {
    if (!state.finished) return false;
  }
  return true;
}

std::string CompletionStream::end() const {
  std::string events;
  if (context_.includeUsage) {
    events += usageEvent(context_,
                         {.promptTokens = promptTokens_, .completionTokens = completionTokens_});
  }
  return events + kDoneEvent;
}

}  // namespace astro::serve
