// The mirror's JSON records (mirror_records.h).
#include "core/remote/mirror_records.h"

#include "core/base/error.h"
#include "core/math/dataset_loader.h"

namespace astro::remote {

using nlohmann::json;

namespace {

// Text as the store holds it: a model's completion may end inside a multi-byte character, which
// JSON cannot carry as a string; such text travels as {"hex": ...} so the mirror keeps its bytes.
json text(const std::string& value) {
  if (math::isValidUtf8(value)) return value;
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(value.size() * 2);
  for (unsigned char c : value) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return json{{"hex", hex}};
}

std::string textFrom(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  const std::string hex = value.at("hex").get<std::string>();
  if (hex.size() % 2) throw Error("mirror: malformed hex text");
  std::string bytes;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    throw Error("mirror: malformed hex text");
  };
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    bytes += static_cast<char>(digit(hex[i]) * 16 + digit(hex[i + 1]));
  }
  return bytes;
}

std::optional<std::string> optionalTextFrom(const json& value) {
  if (value.is_null()) return std::nullopt;
  return textFrom(value);
}

json optionalTime(const std::optional<store::Timestamp>& time) {
  return time ? json(store::toMilliseconds(*time)) : json(nullptr);
}

std::optional<store::Timestamp> timeFrom(const json& value) {
  if (value.is_null()) return std::nullopt;
  return store::fromMilliseconds(value.get<std::int64_t>());
}

template <typename T>
std::optional<T> optionalFrom(const json& value) {
  if (value.is_null()) return std::nullopt;
  return value.get<T>();
}

const json& field(const json& record, const char* name) {
  auto found = record.find(name);
  if (found == record.end()) {
    throw Error(std::string("mirror record without \"") + name + "\": " +
                record.dump().substr(0, 200));
  }
  return *found;
}

}  // namespace

json runRecord(const store::Run& run, const std::vector<store::Stage>& stages, bool workerAlive) {
  json stageList = json::array();
  for (const store::Stage& stage : stages) {
    stageList.push_back({{"id", stage.id},
                         {"position", stage.position},
                         {"kind", stage.kind},
                         {"status", store::stageStatusName(stage.status)},
                         {"started", optionalTime(stage.started)},
                         {"finished", optionalTime(stage.finished)},
                         {"checkpoint", stage.checkpoint}});
  }
  return {{"type", "run"},
          {"format", kMirrorFormatVersion},
          {"id", run.id},
          {"name", text(run.name)},
          {"kind", store::runKindName(run.kind)},
          {"status", store::runStatusName(run.status)},
          {"config", text(run.config)},
          {"current_stage", run.currentStage},
          {"progress_done", run.progressDone},
          {"progress_total", run.progressTotal},
          {"worker", workerAlive},
          {"stages", stageList}};
}

json eventRecord(const store::Event& event) {
  return {{"type", "event"},
          {"seq", event.seq},
          {"time", store::toMilliseconds(event.time)},
          {"kind", store::eventKindName(event.kind)},
          {"payload", event.payload}};
}

json treeRecord(const store::StoredTree& tree) {
  json nodes = json::array();
  for (const store::StoredTreeNode& node : tree.nodes) {
    nodes.push_back(json::array({node.id, node.parent ? json(*node.parent) : json(nullptr),
                                 text(node.text), node.visits, node.value, node.prior, node.depth,
                                 node.terminal, node.answer ? text(*node.answer) : json(nullptr),
                                 node.correct ? json(*node.correct) : json(nullptr)}));
  }
  const store::TreeSummary& s = tree.summary;
  return {{"type", "tree"},
          {"id", s.id},
          {"stage", s.stage},
          {"problem_id", text(s.problemId)},
          {"problem", text(s.problem)},
          {"reference_answer", text(s.referenceAnswer)},
          {"subject", text(s.subject)},
          {"level", s.level},
          {"nodes", nodes}};
}

json samplesRecord(const store::SampleSet& set, std::int64_t lastId,
                   const std::vector<store::StoredSample>& rows) {
  json list = json::array();
  for (const store::StoredSample& sample : rows) {
    const store::SampleRow& r = sample.row;
    list.push_back(json::array(
        {text(r.problemId), r.sampleIndex, r.group, text(r.prompt), text(r.completion),
         text(r.answer),
         r.correct ? json(*r.correct) : json(nullptr), r.reward ? json(*r.reward) : json(nullptr),
         r.advantage ? json(*r.advantage) : json(nullptr), r.steps, r.backtracks, r.restarts,
         r.reflections, r.tokens}));
  }
  return {{"type", "samples"},
          {"stage_id", set.stageId ? json(*set.stageId) : json(nullptr)},
          {"kind", std::string(store::sampleKindName(set.kind))},
          {"checkpoint", text(set.checkpoint)},
          {"step", set.step ? json(*set.step) : json(nullptr)},
          {"benchmark", text(set.benchmark)},
          {"last_id", lastId},
          {"rows", list}};
}

std::string recordText(const json& value) { return textFrom(value); }

json cursorJson(const store::MirrorCursor& cursor) {
  return {{"seq", cursor.seq}, {"tree", cursor.tree}, {"sample", cursor.sample}};
}

store::Event eventFromRecord(const json& record, std::int64_t runId) {
  return store::Event{.runId = runId,
                      .seq = field(record, "seq").get<std::int64_t>(),
                      .time = store::fromMilliseconds(field(record, "time").get<std::int64_t>()),
                      .kind = store::parseEventKind(field(record, "kind").get<std::string>()),
                      .payload = field(record, "payload")};
}

store::NewTree treeFromRecord(const json& record, std::int64_t runId) {
  store::NewTree tree{.runId = runId,
                      .stage = field(record, "stage").get<std::string>(),
                      .problemId = textFrom(field(record, "problem_id")),
                      .problem = textFrom(field(record, "problem")),
                      .referenceAnswer = textFrom(field(record, "reference_answer")),
                      .subject = textFrom(field(record, "subject")),
                      .level = field(record, "level").get<int>()};
  for (const json& node : field(record, "nodes")) {
    if (!node.is_array() || node.size() != 10) throw Error("mirror tree node is malformed");
    tree.nodes.push_back(store::StoredTreeNode{.id = node[0].get<int>(),
                                               .parent = optionalFrom<int>(node[1]),
                                               .text = textFrom(node[2]),
                                               .visits = node[3].get<int>(),
                                               .value = node[4].get<double>(),
                                               .prior = node[5].get<double>(),
                                               .depth = node[6].get<int>(),
                                               .terminal = node[7].get<bool>(),
                                               .answer = optionalTextFrom(node[8]),
                                               .correct = optionalFrom<bool>(node[9])});
  }
  return tree;
}

store::Stage stageFromRecord(const json& record) {
  return store::Stage{.id = field(record, "id").get<std::int64_t>(),
                      .position = field(record, "position").get<int>(),
                      .kind = field(record, "kind").get<std::string>(),
                      .status = store::parseStageStatus(field(record, "status").get<std::string>()),
                      .started = timeFrom(field(record, "started")),
                      .finished = timeFrom(field(record, "finished")),
                      .checkpoint = field(record, "checkpoint").get<std::string>()};
}

store::SampleRow sampleRowFromRecord(const json& r) {
  if (!r.is_array() || r.size() != 14) throw Error("mirror sample row is malformed");
  return store::SampleRow{.problemId = textFrom(r[0]),
                          .sampleIndex = r[1].get<int>(),
                          .group = r[2].get<int>(),
                          .prompt = textFrom(r[3]),
                          .completion = textFrom(r[4]),
                          .answer = textFrom(r[5]),
                          .correct = optionalFrom<bool>(r[6]),
                          .reward = optionalFrom<double>(r[7]),
                          .advantage = optionalFrom<double>(r[8]),
                          .steps = r[9].get<int>(),
                          .backtracks = r[10].get<int>(),
                          .restarts = r[11].get<int>(),
                          .reflections = r[12].get<int>(),
                          .tokens = r[13].get<std::int64_t>()};
}

store::MirrorCursor cursorFromJson(const json& json) {
  return {.seq = field(json, "seq").get<std::int64_t>(),
          .tree = field(json, "tree").get<std::int64_t>(),
          .sample = field(json, "sample").get<std::int64_t>()};
}

}  // namespace astro::remote
