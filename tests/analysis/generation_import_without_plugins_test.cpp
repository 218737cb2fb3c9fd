// Importing generations in a process that loaded no plugin: plain lines still read, a verl or
// chat line is a bad line that says no format reads it and where to look (`astro plugins`), and
// forcing a plugin's format is a usage error naming what is registered.
#include <QtTest>

#include "core/analysis/generation_import.h"
#include "core/base/error.h"

using astro::analysis::parseGenerations;

class GenerationImportWithoutPluginsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void onlyPlainIsRegistered() {
    QCOMPARE(astro::analysis::generationReaderRegistry().names(),
             (std::vector<std::string>{"plain"}));
  }
  void verlAndChatLines_areBadLinesNamingThePluginCommand() {
    std::string text =
        R"({"input": "<|user|>5-1?", "output": "\\boxed{4}", "score": 1.0, "step": 40})"
        "\n"
        R"({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]})"
        "\n"
        R"({"problem": "1+1?", "completion": "\\boxed{2}", "answer": "2"})"
        "\n";
    auto result = parseGenerations(text, "40.jsonl", nullptr);
    QCOMPARE(result.samples.size(), std::size_t(1));
    QCOMPARE(result.samples[0].format, std::string("plain"));
    QCOMPARE(result.badLines.size(), std::size_t(2));
    for (std::int64_t line : {1, 2}) {
      const std::string& message = result.badLines[static_cast<std::size_t>(line - 1)].message;
      QCOMPARE(result.badLines[static_cast<std::size_t>(line - 1)].line, line);
      QVERIFY2(message.starts_with("no generation format reads this line (registered: plain;"),
               message.c_str());
      QVERIFY2(message.find("generation-formats plugin") != std::string::npos, message.c_str());
      QVERIFY2(message.find("`astro plugins` lists the loaded plugins") != std::string::npos,
               message.c_str());
    }
  }
  void forcedVerl_isUsageErrorNamingTheChoices() {
    astro::analysis::ImportOptions options;
    options.format = "verl";
    try {
      parseGenerations("{}\n", "40.jsonl", nullptr, options);
      QFAIL("expected a usage error");
    } catch (const astro::UsageError& e) {
      QCOMPARE(std::string(e.what()),
               std::string("unknown generation format 'verl': one of \"auto\", \"plain\" "
                           "(`astro plugins` lists the loaded plugins)"));
    }
  }
};

QTEST_APPLESS_MAIN(GenerationImportWithoutPluginsTest)
#include "generation_import_without_plugins_test.moc"
