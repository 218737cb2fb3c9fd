// The generation-formats plugin through its C ABI alone, as any host sees it: dlopen the built
// .so, read its manifest, register with a fake host, then detect and read good and malformed
// chat and verl lines (a failed read's error names the field).
#include <dlfcn.h>

#include <QtTest>
#include <string>
#include <vector>

#include "core/plugin/astro_plugin.h"

namespace {

struct FakeHost {
  AstroPluginHost host{};
  std::vector<const AstroGenerationFormatV1*> formats;
  std::string failure;
};

FakeHost* owner(const AstroPluginHost* host) { return static_cast<FakeHost*>(host->host_context); }

struct ReadResult {
  int status = 0;
  AstroGenerationRecord record{};
  std::string error;
};

ReadResult readLine(const AstroGenerationFormatV1& format, const std::string& line,
                    std::size_t errorSize = 512) {
  ReadResult result;
  std::vector<char> error(errorSize, 'x');
  result.status = format.read(format.context, line.c_str(), line.size(), &result.record,
                              error.data(), error.size());
  if (result.status != 0) result.error = std::string(error.data());  // NUL-terminated
  return result;
}

std::string text(const char* value) { return value ? value : "<null>"; }

}  // namespace

class GenerationFormatsPluginTest : public QObject {
  Q_OBJECT
 private:
  void* library_ = nullptr;
  FakeHost fake_;
  const AstroGenerationFormatV1* chat_ = nullptr;
  const AstroGenerationFormatV1* verl_ = nullptr;

 private Q_SLOTS:
  void initTestCase() {
    library_ = dlopen(ASTRO_GENERATION_FORMATS_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    QVERIFY2(library_ != nullptr, dlerror());
    auto manifest = reinterpret_cast<AstroPluginManifestFunction>(
        dlsym(library_, ASTRO_PLUGIN_MANIFEST_SYMBOL));
    auto registration = reinterpret_cast<AstroPluginRegisterFunction>(
        dlsym(library_, ASTRO_PLUGIN_REGISTER_SYMBOL));
    QVERIFY(manifest != nullptr);
    QVERIFY(registration != nullptr);
    const AstroPluginManifest* m = manifest();
    QCOMPARE(m->api_version, ASTRO_PLUGIN_API_VERSION);
    QCOMPARE(std::string(m->name), std::string("generation-formats"));
    QCOMPARE(std::string(m->provides), std::string("format:chat,format:verl"));

    fake_.host.struct_size = sizeof(AstroPluginHost);
    fake_.host.api_version = ASTRO_PLUGIN_API_VERSION;
    fake_.host.host_version = "test";
    fake_.host.host_context = &fake_;
    fake_.host.add_domain = [](const AstroPluginHost*, const AstroDomainV1*) { return 1; };
    fake_.host.add_generation_format = [](const AstroPluginHost* host,
                                          const AstroGenerationFormatV1* format) {
      owner(host)->formats.push_back(format);
      return 0;
    };
    fake_.host.fail = [](const AstroPluginHost* host, const char* reason) {
      owner(host)->failure = reason;
    };
    QCOMPARE(registration(&fake_.host), 0);
    QCOMPARE(fake_.formats.size(), std::size_t(2));
    chat_ = fake_.formats[0];
    verl_ = fake_.formats[1];
    QCOMPARE(std::string(chat_->name), std::string("chat"));
    QCOMPARE(std::string(verl_->name), std::string("verl"));
    QCOMPARE(chat_->struct_size, sizeof(AstroGenerationFormatV1));
  }
  void registration_failsCleanlyWhenTheHostRefuses() {
    FakeHost refusing = fake_;
    refusing.host.host_context = &refusing;
    refusing.host.add_generation_format = [](const AstroPluginHost*,
                                             const AstroGenerationFormatV1*) { return 1; };
    auto registration = reinterpret_cast<AstroPluginRegisterFunction>(
        dlsym(library_, ASTRO_PLUGIN_REGISTER_SYMBOL));
    QVERIFY(registration(&refusing.host) != 0);
    QCOMPARE(refusing.failure, std::string("could not add format chat"));
  }
  void detection_looksAtTopLevelKeysOnly() {
    auto detects = [](const AstroGenerationFormatV1* format, const std::string& line) {
      return format->detects(format->context, line.c_str(), line.size());
    };
    QCOMPARE(detects(chat_, R"({"messages": []})"), 1);
    // Plain strings here: moc misreads raw strings that hold escaped quotes.
    QCOMPARE(detects(chat_, "{\"prompt\": \"the \\\"messages\\\" key\", \"completion\": \"c\"}"),
             0);
    QCOMPARE(detects(chat_, R"({"meta": {"messages": 1}})"), 0);
    QCOMPARE(detects(verl_, R"({"input": "a", "output": "b"})"), 1);
    QCOMPARE(detects(verl_, R"({"input": "a", "meta": {"output": "b"}})"), 0);
    QCOMPARE(detects(verl_, R"({"\u0069nput": "a", "output": "b"})"), 1);  // escaped key
    QCOMPARE(detects(verl_, R"([{"input": "a", "output": "b"}])"), 0);
    QCOMPARE(detects(verl_, "not json"), 0);
  }
  void chatLine_readsLastAssistantAndTheUserBeforeIt() {
    auto result = readLine(
        *chat_,
        R"({"messages": [{"role": "user", "content": "1?"}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "2?"}, {"role": "assistant", "content": "\\boxed{9}"}], "answer": 9, "id": "q7"})");
    QCOMPARE(result.status, 0);
    QCOMPARE(text(result.record.prompt), std::string("2?"));
    QCOMPARE(text(result.record.completion), std::string("\\boxed{9}"));
    QCOMPARE(text(result.record.answer), std::string("9"));
    QCOMPARE(text(result.record.id), std::string("q7"));
    QCOMPARE(text(result.record.checkpoint), std::string("<null>"));
    QCOMPARE(result.record.has_score, 0);
  }
  void verlLine_readsEveryField() {
    auto result = readLine(
        *verl_,
        R"({"input": "<|user|>5-2?", "output": "\\boxed{3}", "gts": ["3", "3.0"], "score": true, "step": 40, "data_source": "math500"})");
    QCOMPARE(result.status, 0);
    QCOMPARE(text(result.record.prompt), std::string("<|user|>5-2?"));
    QCOMPARE(text(result.record.completion), std::string("\\boxed{3}"));
    QCOMPARE(text(result.record.answer), std::string("3"));
    QCOMPARE(text(result.record.checkpoint), std::string("40"));
    QCOMPARE(text(result.record.benchmark), std::string("math500"));
    QCOMPARE(result.record.has_score, 1);
    QCOMPARE(result.record.score, 1.0);
  }
  void malformedLines_failNamingTheField() {
    QCOMPARE(readLine(*verl_, R"({"input": "a"})").error,
             std::string(R"(missing completion (one of "output"))"));
    QCOMPARE(readLine(*verl_, R"({"input": {"x": 1}, "output": "b"})").error,
             std::string("field 'input': expected a string, found object"));
    QCOMPARE(readLine(*verl_, R"({"input": "a", "output": "b", "score": "high"})").error,
             std::string("field 'score': expected a number"));
    QCOMPARE(readLine(*chat_, R"({"messages": [{"role": "user"}]})").error,
             std::string(R"(field 'messages[0]': expected {"role": string, "content": string})"));
    QCOMPARE(readLine(*chat_, R"({"answer": "1"})").error, std::string("missing field 'messages'"));
    QCOMPARE(readLine(*chat_, "[1]").error, std::string("expected a JSON object"));
    QVERIFY(readLine(*chat_, "{not json").error.starts_with("invalid JSON: "));
  }
  void longError_isTruncatedAndTerminated() {
    auto result = readLine(*verl_, R"({"input": "a"})", 8);
    QVERIFY(result.status != 0);
    QCOMPARE(result.error, std::string("missing"));
  }
};

QTEST_APPLESS_MAIN(GenerationFormatsPluginTest)
#include "generation_formats_plugin_test.moc"
