// The GSM8K domain plugin end to end: a tiny search -> linearize -> sft -> rl -> evaluate ->
// analyze pipeline on a few GSM8K problems, run by the `astro` program with the plugin's folder
// on $ASTRO_PLUGIN_PATH and `verifier` left at "auto", resolves every stage to the plugin's
// "gsm8k" domain and reports pass@1 on the GSM8K test problems; the same pipeline naming
// verifier = "gsm8k" on a program that loads no plugin is refused with the registered choices.
// That the stages graded with the plugin is checked from what they recorded: every search
// terminal, GRPO rollout and evaluation sample holds the answer and grade the plugin itself gives
// (re-graded here through its C ABI), and some come from its last-number rule, which the math
// domain does not have.
// The model is the miniature world's random-init tiny model with its byte-level tokenizer (it
// encodes any text), so it solves nothing: SFT trains on GSM8K's reference solutions.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>
#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/store/workspace.h"
#include "tests/plugin_gsm8k/plugin_grader.h"
#include "tests/support/test_support.h"

using namespace astro::test;
namespace fs = std::filesystem;

namespace {

const QString kCli = ASTRO_CLI_PATH;
const fs::path kPluginFolder = fs::path(ASTRO_GSM8K_PLUGIN).parent_path();

struct Record {
  std::string line;  // the JSONL line as in the dataset
  QString question;
  QString solution;
};

// The `count` records of a GSM8K file with the shortest question plus solution (so the tiny
// model's 1024 positions and a 60 s budget hold them), in file order.
std::vector<Record> shortestRecords(const fs::path& file, std::size_t count) {
  std::vector<std::pair<std::size_t, std::size_t>> sizes;  // (size, index)
  std::vector<Record> all;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    QJsonObject object = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
    all.push_back({line, object["question"].toString(), object["answer"].toString()});
    sizes.emplace_back(line.size(), all.size() - 1);
  }
  std::sort(sizes.begin(), sizes.end());
  sizes.resize(std::min(count, sizes.size()));
  std::sort(sizes.begin(), sizes.end(), [](auto a, auto b) { return a.second < b.second; });
  std::vector<Record> chosen;
  for (auto [size, index] : sizes) chosen.push_back(all[index]);
  return chosen;
}

void writeJsonl(const fs::path& file, const std::vector<Record>& records) {
  std::ofstream out(file, std::ios::binary);
  for (const Record& record : records) out << record.line << "\n";
}

// Chat-form SFT data (core/train/sft_data.h): each question answered by its reference solution,
// calculator annotations "<<3*4=12>>" dropped, "#### N" kept.
void writeSftData(const fs::path& file, const std::vector<Record>& records) {
  std::ofstream out(file, std::ios::binary);
  static const QRegularExpression kAnnotation("<<[^>]*>>");
  for (const Record& record : records) {
    QString solution = record.solution;
    solution.remove(kAnnotation);
    QJsonArray messages = {QJsonObject{{"role", "user"}, {"content", record.question}},
                           QJsonObject{{"role", "assistant"}, {"content", solution}}};
    out << QJsonDocument(QJsonObject{{"messages", messages}})
               .toJson(QJsonDocument::Compact)
               .toStdString()
        << "\n";
  }
}

// The pipeline: `verifierLine` goes into [search] ("" leaves it at auto).
fs::path writeConfig(const fs::path& dir, const std::string& name,
                     const std::string& verifierLine) {
  fs::path file = dir / (name + ".toml");
  std::ofstream out(file);
  out << "[run]\nname = \"" << name << "\"\nseed = 3\nthreads = 1\n\n"
      << "[search]\nmodel = \"" << (dir / "model").string() << "\"\ndataset = \""
      << (dir / "gsm8k_train.jsonl").string() << "\"\n"
      << verifierLine
      << "limit = 4\niterations = 3\nchildren = 2\nmax_depth = 3\nmax_step_tokens = 12\n"
         "trees_per_batch = 4\npass_samples = 1\n\n"
      << "[linearize]\nsequences_per_tree = 1\n\n"
      << "[sft]\ndata = \"" << (dir / "sft.jsonl").string()
      << "\"\nlearning_rate = 1e-3\nsequences_per_step = 2\nmax_length = 1024\n"
         "checkpoint_every = 0\n\n"
      << "[rl]\nlimit = 4\ncurate = false\nsteps = 2\nprompts_per_step = 2\ngroup_size = 2\n"
         "max_new_tokens = 12\nlearning_rate = 1e-4\nwarmup_steps = 0\ncheckpoint_every = 2\n\n"
      << "[evaluate]\ndatasets = [{name = \"gsm8k-test\", path = \""
      << (dir / "gsm8k_test.jsonl").string()
      << "\"}]\nsamples = 1\nmax_new_tokens = 12\nbatch_size = 8\n\n"
      << "[analyze]\nbootstrap = 20\n";
  return file;
}

// Runs `astro` with ASTRO_PLUGIN_PATH set to `pluginPath` (unset when empty).
ProcessResult runAstro(const QString& program, const QStringList& arguments,
                       const QByteArray& pluginPath) {
  const QByteArray saved = qgetenv("ASTRO_PLUGIN_PATH");
  const bool hadSaved = qEnvironmentVariableIsSet("ASTRO_PLUGIN_PATH");
  if (pluginPath.isEmpty()) {
    qunsetenv("ASTRO_PLUGIN_PATH");
  } else {
    qputenv("ASTRO_PLUGIN_PATH", pluginPath);
  }
  ProcessResult result = runProgram(program, arguments, 300000);
  if (hadSaved) {
    qputenv("ASTRO_PLUGIN_PATH", saved);
  } else {
    qunsetenv("ASTRO_PLUGIN_PATH");
  }
  return result;
}

QStringList inWorkspace(const fs::path& workspace, QStringList arguments) {
  return QStringList{"--workspace", qpath(workspace)} + arguments;
}

fs::path fixtureDir;

// What re-grading a run's recorded answers with the plugin found.
struct Regraded {
  int graded = 0;
  int byLastNumber = 0;  // answers only the plugin's last-number rule finds in that output
  QStringList mismatches;

  void check(const Gsm8kPlugin& plugin, const std::string& gold, const std::string& output,
             const std::string& recordedAnswer, bool recordedCorrect, const QString& where) {
    // The host's extraction buffer (core/plugin/c_domain.cpp) is 4096 bytes.
    Gsm8kPlugin::Grade grade = plugin.grade(gold, output, "gsm8k_train", 4096);
    ++graded;
    if (grade.extracted != recordedAnswer || grade.correct != recordedCorrect) {
      mismatches << where + ": recorded [" + QString::fromStdString(recordedAnswer) + "] " +
                        (recordedCorrect ? "right" : "wrong") + ", the plugin says [" +
                        QString::fromStdString(grade.extracted) + "] " +
                        (grade.correct ? "right" : "wrong");
    }
    if (grade.rule == "numeric" && !recordedAnswer.empty() &&
        QString::fromStdString(output).trimmed().toStdString() != recordedAnswer &&
        output.find("####") == std::string::npos && output.find("\\boxed") == std::string::npos) {
      ++byLastNumber;
    }
  }
};

QJsonObject jsonLine(const std::string& line) {
  return QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
}

// The search's terminals: each one's answer and grade, from its path's steps joined by the step
// delimiter (MctsOptions::stepDelimiter, "\n\n"), as the search graded them.
void regradeTrees(const Gsm8kPlugin& plugin, const fs::path& file, Regraded& regraded) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    QJsonObject tree = jsonLine(line);
    std::map<int, QJsonObject> nodes;
    for (const QJsonValue& node : tree["nodes"].toArray()) {
      nodes[node.toObject()["id"].toInt()] = node.toObject();
    }
    for (const auto& [id, node] : nodes) {
      if (!node["terminal"].toBool()) continue;
      QStringList steps;
      for (QJsonObject at = node; !at["parent"].isNull(); at = nodes[at["parent"].toInt()]) {
        steps.prepend(at["text"].toString());
      }
      regraded.check(plugin, tree["answer"].toString().toStdString(),
                     steps.join("\n\n").toStdString(), node["answer"].toString().toStdString(),
                     node["correct"].toBool(), "search node " + QString::number(id));
    }
  }
}

// The evaluation's samples.jsonl (gold, completion, extracted, correct on each line).
void regradeEvaluation(const Gsm8kPlugin& plugin, const fs::path& file, Regraded& regraded) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    QJsonObject sample = jsonLine(line);
    regraded.check(plugin, sample["answer"].toString().toStdString(),
                   sample["completion"].toString().toStdString(),
                   sample["extracted"].toString().toStdString(), sample["correct"].toBool(),
                   "evaluation sample of " + sample["id"].toString());
  }
}

// The GRPO rollouts in the run's store; golds by problem id from the training subset.
void regradeRollouts(const Gsm8kPlugin& plugin, const fs::path& workspace,
                     const std::map<std::string, std::string>& golds, Regraded& regraded) {
  auto store = astro::store::Workspace::open(workspace, {.readOnly = true});
  auto rollouts =
      store.samples().list(1, {.kind = astro::store::SampleKind::kRollout}, {.limit = -1});
  for (const auto& sample : rollouts) {
    const auto& row = sample.row;
    auto gold = golds.find(row.problemId);
    if (gold == golds.end()) {
      regraded.mismatches << "rollout of unknown problem " + QString::fromStdString(row.problemId);
      continue;
    }
    regraded.check(plugin, gold->second, row.completion, row.answer, row.correct.value_or(false),
                   "rollout of " + QString::fromStdString(row.problemId));
  }
}

// Problem id ("gsm8k_train:<line>", as the dataset reader names GSM8K lines) -> gold answer.
std::map<std::string, std::string> goldsById(const fs::path& file) {
  std::map<std::string, std::string> golds;
  std::ifstream in(file);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    QString solution = jsonLine(line)["answer"].toString();
    golds[file.stem().string() + ":" + std::to_string(number)] =
        solution.mid(solution.lastIndexOf("####") + 4).trimmed().toStdString();
  }
  return golds;
}

}  // namespace

class Gsm8kPipelineTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    ASTRO_REQUIRE_SHARED_FILE(train, "gsm8k_train.jsonl");
    ASTRO_REQUIRE_SHARED_FILE(test, "gsm8k_test.jsonl");
    fixtureDir = freshTempDir("gsm8k-pipeline");
    std::vector<Record> trainRecords = shortestRecords(train, 4);
    writeJsonl(fixtureDir / "gsm8k_train.jsonl", trainRecords);
    writeJsonl(fixtureDir / "gsm8k_test.jsonl", shortestRecords(test, 3));
    writeSftData(fixtureDir / "sft.jsonl", trainRecords);
    const fs::path world = fs::path(ASTRO_SOURCE_DIR) / "resources/world";
    auto init = runProgram(kCli, {"model", "init", "--config", qpath(world / "models/tiny.json"),
                                  "--seed", "1", "--out", qpath(fixtureDir / "model")});
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    for (const char* name : {"tokenizer.json", "tokenizer_config.json"}) {
      fs::copy_file(world / name, fixtureDir / "model" / name,
                    fs::copy_options::overwrite_existing);
    }
  }

  void autoVerifier_resolvesToGsm8k_inEveryStage_andEvaluatesPassAt1() {
    QElapsedTimer timer;
    timer.start();
    const fs::path workspace = fixtureDir / "workspace";
    const fs::path config = writeConfig(fixtureDir, "gsm8k-tiny", "");
    auto run = runAstro(kCli, inWorkspace(workspace, {"run", qpath(config)}),
                        QByteArray::fromStdString(kPluginFolder.string()));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out.right(3000)));
    qInfo("the pipeline ran in %.1f s", timer.elapsed() / 1000.0);

    // Every stage finished, in order.
    auto shown = runProgram(kCli, inWorkspace(workspace, {"runs", "show", "1", "--json"}));
    QJsonObject runJson = QJsonDocument::fromJson(shown.out.toUtf8()).object();
    QCOMPARE(runJson["run"].toObject()["status"].toString(), QString("finished"));
    QStringList kinds;
    for (const QJsonValue& stage : runJson["stages"].toArray()) {
      kinds << stage.toObject()["kind"].toString();
      QCOMPARE(stage.toObject()["status"].toString(), QString("finished"));
    }
    QCOMPARE(kinds, QStringList({"search", "linearize", "sft", "rl", "evaluate", "analyze"}));

    // The analyze stage re-grades the evaluation's samples with the domain `auto` resolves for
    // their problems, and says which: the plugin's.
    QVERIFY2(run.out.contains("verifier gsm8k"), qPrintable(run.out.right(3000)));
    // Search, RL and evaluation say which domain `auto` resolved to (stdout is the event log as
    // JSON lines, so the message's quotes around "auto" are escaped there).
    for (const char* line : {"domain gsm8k grades the terminals (verifier = \\\"auto\\\")",
                             "domain gsm8k gives the rewards (verifier = \\\"auto\\\")",
                             "domain gsm8k grades gsm8k-test (verifier = \\\"auto\\\")"}) {
      QVERIFY2(run.out.contains(line), line);
    }

    // pass@1 of each model on the GSM8K test problems.
    const fs::path results = workspace / "runs/1/5-evaluate/results.json";
    QJsonArray rows =
        QJsonDocument::fromJson(QByteArray::fromStdString(readWholeFile(results))).array();
    QStringList models;
    for (const QJsonValue& value : rows) {
      QJsonObject row = value.toObject();
      models << row["model"].toString();
      QCOMPARE(row["dataset"].toString(), QString("gsm8k-test"));
      QCOMPARE(row["problems"].toInt(), 3);
      QVERIFY(row.contains("pass@1"));
      double passAt1 = row["pass@1"].toDouble(-1);
      QVERIFY(passAt1 >= 0.0 && passAt1 <= 1.0);
    }
    QCOMPARE(models, QStringList({"base", "sft", "rl"}));

    // Search, RL and evaluation recorded exactly what the plugin's grade says, and some of it
    // only the plugin's last-number rule finds: their verifier was the plugin's.
    Gsm8kPlugin plugin(ASTRO_GSM8K_PLUGIN);
    Regraded search;
    regradeTrees(plugin, workspace / "runs/1/1-search/trees.jsonl", search);
    Regraded rollouts;
    regradeRollouts(plugin, workspace, goldsById(fixtureDir / "gsm8k_train.jsonl"), rollouts);
    Regraded evaluation;
    regradeEvaluation(plugin, workspace / "runs/1/5-evaluate/samples.jsonl", evaluation);
    for (const Regraded* stage : {&search, &rollouts, &evaluation}) {
      QVERIFY2(stage->mismatches.isEmpty(), qPrintable(stage->mismatches.join("\n")));
      QVERIFY(stage->graded > 0);
      QVERIFY(stage->byLastNumber > 0);
    }
    QCOMPARE(rollouts.graded, 2 * 2 * 2);    // steps x prompts x group
    QCOMPARE(evaluation.graded, 3 * 3 * 2);  // models x problems x (1 sample + greedy)

    // `astro analyze --run` resolves the run's samples to the same domain.
    auto analyzed =
        runAstro(kCli, inWorkspace(workspace, {"analyze", "--run", "1", "--bootstrap", "20"}),
                 QByteArray::fromStdString(kPluginFolder.string()));
    QVERIFY2(analyzed.exitCode == 0, qPrintable(analyzed.err));
    QVERIFY2(analyzed.out.contains("verifier gsm8k"), qPrintable(analyzed.out));
    // The search's own problems resolve to gsm8k too (`astro search` prints the domain).
    auto searched = runAstro(
        kCli,
        {"search", "--dataset", qpath(fixtureDir / "gsm8k_train.jsonl"), "--model",
         qpath(fixtureDir / "model"), "--out", qpath(fixtureDir / "trees.jsonl"), "--limit", "1",
         "--iterations", "1", "--max-depth", "1", "--max-step-tokens", "4", "--pass-samples", "0"},
        QByteArray::fromStdString(kPluginFolder.string()));
    QVERIFY2(searched.exitCode == 0, qPrintable(searched.err));
    QVERIFY2(searched.out.contains("(domain gsm8k)"), qPrintable(searched.out));
    // Every stage above read the GSM8K files with the plugin's own dataset reader: the dataset
    // command loads them the same way and says so.
    auto checked = runAstro(kCli, {"dataset", "check", qpath(fixtureDir / "gsm8k_train.jsonl")},
                            QByteArray::fromStdString(kPluginFolder.string()));
    QVERIFY2(checked.exitCode == 0, qPrintable(checked.err));
    QJsonObject report = QJsonDocument::fromJson(checked.out.toUtf8()).object();
    QCOMPARE(report["reader"].toString(), QString("domain gsm8k"));
    QCOMPARE(report["format"].toString(), QString("gsm8k"));
    qInfo("with the checks: %.1f s", timer.elapsed() / 1000.0);
  }

  // A program run from outside the build tree with no $ASTRO_PLUGIN_PATH loads no plugin: the
  // config's verifier = "gsm8k" is refused before anything runs, naming what is registered.
  void withoutThePlugin_gsm8kIsRefusedNamingTheChoices() {
    const fs::path outside = fs::temp_directory_path() /
                             ("astro-gsm8k-" + std::to_string(QCoreApplication::applicationPid()));
    fs::create_directories(outside);
    const fs::path program = outside / "astro";
    fs::copy_file(ASTRO_CLI_PATH, program, fs::copy_options::overwrite_existing);
    const fs::path config = writeConfig(fixtureDir, "gsm8k-no-plugin", "verifier = \"gsm8k\"\n");
    auto refused =
        runAstro(qpath(program),
                 inWorkspace(fixtureDir / "workspace-no-plugin", {"run", qpath(config)}), {});
    // The same file still loads, with the built-in GSM8K format.
    auto checked = runAstro(qpath(program),
                            {"dataset", "check", qpath(fixtureDir / "gsm8k_train.jsonl")}, {});
    fs::remove_all(outside);
    QVERIFY2(checked.exitCode == 0, qPrintable(checked.err));
    QCOMPARE(QJsonDocument::fromJson(checked.out.toUtf8()).object()["reader"].toString(),
             QString("built-in"));
    QVERIFY2(refused.exitCode != 0, qPrintable(refused.out));
    QVERIFY2(refused.err.contains("search.verifier") &&
                 refused.err.contains("\"gsm8k\" is not one of \"auto\", \"math\", \"countdown\""),
             qPrintable(refused.err));
  }
};

QTEST_GUILESS_MAIN(Gsm8kPipelineTest)
#include "gsm8k_pipeline_test.moc"
