// Chat rendering in the Llama 3, ChatML and plain conventions, asserted as exact strings.
#include "core/tokenizer/chat_format.h"

#include <QtTest>

#include "core/tokenizer/tokenizer.h"
#include "tests/support/test_support.h"
#include "tests/tokenizer/tiny_fixture.h"

using astro::tokenizer::ChatFormat;
using astro::tokenizer::ChatMessage;
using astro::tokenizer::renderChat;

namespace {
const std::vector<ChatMessage> kConversation = {
    {"system", "You are a careful mathematician."},
    {"user", "  What is 2+2?\n"},
    {"assistant", "4"},
};
}  // namespace

class ChatFormatTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void llama3_rendersHeadersAndTrimsContent() {
    QCOMPARE(renderChat(ChatFormat::Llama3, kConversation, false),
             std::string("<|begin_of_text|>"
                         "<|start_header_id|>system<|end_header_id|>\n\n"
                         "You are a careful mathematician.<|eot_id|>"
                         "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
                         "<|start_header_id|>assistant<|end_header_id|>\n\n4<|eot_id|>"));
  }
  void llama3_generationPromptAppendsAssistantHeader() {
    std::vector<ChatMessage> messages = {{"user", "Hi"}};
    QCOMPARE(renderChat(ChatFormat::Llama3, messages, true),
             std::string("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi"
                         "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"));
  }
  void chatMl_rendersImStartBlocks() {
    QCOMPARE(renderChat(ChatFormat::ChatML, kConversation, false),
             std::string("<|im_start|>system\nYou are a careful mathematician.<|im_end|>\n"
                         "<|im_start|>user\n  What is 2+2?\n<|im_end|>\n"
                         "<|im_start|>assistant\n4<|im_end|>\n"));
  }
  void chatMl_generationPromptAppendsAssistantHeader() {
    std::vector<ChatMessage> messages = {{"user", "Hi"}};
    QCOMPARE(renderChat(ChatFormat::ChatML, messages, true),
             std::string("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"));
  }
  void plain_rendersRoleLines() {
    std::vector<ChatMessage> messages = {{"user", "Hi"}};
    QCOMPARE(renderChat(ChatFormat::Plain, messages, true), std::string("user: Hi\n\nassistant: "));
    QCOMPARE(renderChat(ChatFormat::Plain, {}, false), std::string());
  }
  void chatFormat_followsConfigTemplate() {
    auto tokenizerJson = astro::test::tinyTokenizerJson().dump();
    auto formatOf = [&](const std::string& config) {
      return astro::tokenizer::Tokenizer::fromJsonText(tokenizerJson, config).chatFormat();
    };
    QCOMPARE(formatOf(R"({"chat_template": "{{ '<|im_start|>' + role }}"})"), ChatFormat::ChatML);
    QCOMPARE(formatOf(R"({"chat_template": "{{ '<|start_header_id|>' }}"})"), ChatFormat::Llama3);
    QCOMPARE(formatOf(R"({"chat_template": "{{ message }}"})"), ChatFormat::Plain);
    // Without a template the special tokens decide: the fixture has Llama 3's headers.
    QCOMPARE(formatOf("{}"), ChatFormat::Llama3);
  }
  void renderedChat_encodesHeadersAsSpecialTokens() {
    auto tiny = astro::tokenizer::Tokenizer::fromDirectory(astro::test::tinyTokenizerDir());
    std::vector<ChatMessage> messages = {{"user", "Hi"}};
    auto ids = tiny.encode(renderChat(tiny.chatFormat(), messages, true));
    QCOMPARE(ids.front(), *tiny.bosId());
    QCOMPARE(ids[1], *tiny.tokenId("<|start_header_id|>"));
    QCOMPARE(ids.back() == *tiny.tokenId("<|end_header_id|>"), false);  // ends with "\n\n"
    QCOMPARE(tiny.decode(ids), renderChat(ChatFormat::Llama3, messages, true));
  }
};

QTEST_APPLESS_MAIN(ChatFormatTest)
#include "chat_format_test.moc"
