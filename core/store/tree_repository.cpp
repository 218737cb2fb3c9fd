// Search trees in the run store (tree_repository.h). A save is one transaction with two cached
// statements (the tree row, then one node insert per node), which is what makes 1,000 trees of
// 200 nodes take a fraction of a second (bench_trees).
#include "core/store/tree_repository.h"

#include <algorithm>
#include <variant>

#include "core/base/error.h"
#include "core/store/detail/require_run.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {

constexpr const char* kSummaryColumns =
    "id, run_id, stage, problem_id, problem, reference_answer, node_count, max_depth, "
    "terminal_count, correct_count, root_visits, created, subject, level";

TreeSummary readSummary(const detail::Statement& row) {
  return TreeSummary{
      .id = row.integer(0),
      .runId = row.integer(1),
      .stage = row.text(2),
      .problemId = row.text(3),
      .problem = row.text(4),
      .referenceAnswer = row.text(5),
      .stats = {.nodes = static_cast<int>(row.integer(6)),
                .maxDepth = static_cast<int>(row.integer(7)),
                .terminals = static_cast<int>(row.integer(8)),
                .correctTerminals = static_cast<int>(row.integer(9)),
                .rootVisits = static_cast<int>(row.integer(10))},
      .created = fromMilliseconds(row.integer(11)),
      .subject = row.text(12),
      .level = static_cast<int>(row.integer(13)),
  };
}

TreeStats statsOf(const std::vector<StoredTreeNode>& nodes) {
  TreeStats stats{.nodes = static_cast<int>(nodes.size())};
  for (const StoredTreeNode& node : nodes) {
    stats.maxDepth = std::max(stats.maxDepth, node.depth);
    stats.terminals += node.terminal;
    stats.correctTerminals += node.terminal && node.correct.value_or(false);
    if (!node.parent) stats.rootVisits = node.visits;
  }
  return stats;
}

std::vector<StoredTreeNode> readNodes(detail::Connection& connection, std::int64_t treeId) {
  auto select = connection.prepare(
      "SELECT id, parent, text, visits, value, prior, depth, terminal, answer, correct "
      "FROM tree_nodes WHERE tree_id = ?1 ORDER BY id");
  select.bindInteger(1, treeId);
  std::vector<StoredTreeNode> nodes;
  while (select.step()) {
    StoredTreeNode& node = nodes.emplace_back();
    node.id = static_cast<int>(select.integer(0));
    if (!select.isNull(1)) node.parent = static_cast<int>(select.integer(1));
    node.text = select.text(2);
    node.visits = static_cast<int>(select.integer(3));
    node.value = select.real(4);
    node.prior = select.real(5);
    node.depth = static_cast<int>(select.integer(6));
    node.terminal = select.integer(7) != 0;
    if (!select.isNull(8)) node.answer = select.text(8);
    if (!select.isNull(9)) node.correct = select.integer(9) != 0;
  }
  return nodes;
}

std::optional<StoredTree> findWhere(detail::Connection& connection, detail::Statement& select) {
  if (!select.step()) return std::nullopt;
  StoredTree tree{.summary = readSummary(select)};
  select.reset();
  tree.nodes = readNodes(connection, tree.summary.id);
  return tree;
}

// One tree row and its nodes, inside the caller's transaction.
TreeSummary insertTree(detail::Connection& connection, const NewTree& tree) {
  detail::requireRun(connection, tree.runId);
  const TreeStats stats = statsOf(tree.nodes);
  const Timestamp now = currentTimestamp();
  auto insertTreeRow = connection.prepare(
      "INSERT INTO trees (run_id, stage, problem_id, problem, reference_answer, node_count, "
      "max_depth, terminal_count, correct_count, root_visits, created, subject, level) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
      "ON CONFLICT (run_id, stage, problem_id) DO NOTHING");
  insertTreeRow.bindInteger(1, tree.runId).bindText(2, tree.stage).bindText(3, tree.problemId);
  insertTreeRow.bindText(4, tree.problem).bindText(5, tree.referenceAnswer);
  insertTreeRow.bindInteger(6, stats.nodes).bindInteger(7, stats.maxDepth);
  insertTreeRow.bindInteger(8, stats.terminals).bindInteger(9, stats.correctTerminals);
  insertTreeRow.bindInteger(10, stats.rootVisits).bindInteger(11, toMilliseconds(now));
  insertTreeRow.bindText(12, tree.subject).bindInteger(13, tree.level);
  insertTreeRow.execute();
  if (connection.changes() == 0) {
    throw Error("run " + std::to_string(tree.runId) + " already holds a tree of stage '" +
                tree.stage + "' for problem '" + tree.problemId + "' (workspace " +
                connection.file().parent_path().string() + ")");
  }
  const std::int64_t treeId = connection.lastInsertRowId();

  auto insertNode = connection.prepare(
      "INSERT INTO tree_nodes (tree_id, id, parent, text, visits, value, prior, depth, terminal, "
      "answer, correct) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  for (const StoredTreeNode& node : tree.nodes) {
    // execute() clears the bindings: every parameter is bound again for each node.
    insertNode.bindInteger(1, treeId).bindInteger(2, node.id);
    if (node.parent) {
      insertNode.bindInteger(3, *node.parent);
    } else {
      insertNode.bindNull(3);
    }
    insertNode.bindText(4, node.text).bindInteger(5, node.visits);
    insertNode.bindReal(6, node.value).bindReal(7, node.prior).bindInteger(8, node.depth);
    insertNode.bindInteger(9, node.terminal ? 1 : 0);
    if (node.answer) {
      insertNode.bindText(10, *node.answer);
    } else {
      insertNode.bindNull(10);
    }
    if (node.correct) {
      insertNode.bindInteger(11, *node.correct ? 1 : 0);
    } else {
      insertNode.bindNull(11);
    }
    insertNode.execute();
  }
  return TreeSummary{.id = treeId,
                     .runId = tree.runId,
                     .stage = tree.stage,
                     .problemId = tree.problemId,
                     .problem = tree.problem,
                     .referenceAnswer = tree.referenceAnswer,
                     .stats = stats,
                     .created = now,
                     .subject = tree.subject,
                     .level = tree.level};
}

using FilterValue = std::variant<std::int64_t, std::string>;

// A WHERE clause over run_id (?1) and the filter's set fields, whose values are bound from ?3 on
// (?2 is the keyset bound). Only set fields appear, so the common shapes keep trees_by_run usable.
std::string buildWhere(const TreeFilter& filter, std::vector<FilterValue>& values) {
  std::string where = "run_id = ?1";
  auto parameter = [&](FilterValue value) {
    values.push_back(std::move(value));
    return "?" + std::to_string(values.size() + 2);
  };
  if (filter.stage) where += " AND stage = " + parameter(*filter.stage);
  if (filter.solved) where += *filter.solved ? " AND correct_count > 0" : " AND correct_count = 0";
  if (filter.subject) where += " AND subject = " + parameter(*filter.subject);
  if (filter.level) where += " AND level = " + parameter(std::int64_t{*filter.level});
  if (!filter.text.empty()) {
    const std::string p = parameter(detail::likePattern(filter.text));
    where += " AND (problem_id LIKE " + p + " ESCAPE '\\' OR problem LIKE " + p + " ESCAPE '\\')";
  }
  return where;
}

void bindFilterValues(detail::Statement& statement, const std::vector<FilterValue>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const int index = static_cast<int>(i) + 3;
    if (const auto* number = std::get_if<std::int64_t>(&values[i])) {
      statement.bindInteger(index, *number);
    } else {
      statement.bindText(index, std::get<std::string>(values[i]));
    }
  }
}

std::string orderBy(const TreeOrder& order) {
  const char* direction = order.descending ? " DESC" : " ASC";
  const std::string wrong = "(terminal_count - correct_count)";
  switch (order.key) {
    case TreeSortKey::kStored:
      return std::string("id") + direction;
    case TreeSortKey::kNodes:
      return std::string("node_count") + direction + ", " + wrong + direction + ", id";
    case TreeSortKey::kDepth:
      return std::string("max_depth") + direction + ", id";
    case TreeSortKey::kTerminals:
      return std::string("terminal_count") + direction + ", id";
    case TreeSortKey::kCorrect:
      return std::string("correct_count") + direction + ", id";
    case TreeSortKey::kWrong:
      return wrong + direction + ", id";
  }
  return "id";
}

}  // namespace

TreeSummary TreeRepository::save(const NewTree& tree) {
  detail::Transaction transaction(connection_);
  TreeSummary summary = insertTree(connection_, tree);
  transaction.commit();
  return summary;
}

void TreeRepository::saveAll(std::span<const NewTree> trees) {
  detail::Transaction transaction(connection_);
  for (const NewTree& tree : trees) insertTree(connection_, tree);
  transaction.commit();
}

std::optional<StoredTree> TreeRepository::find(std::int64_t treeId) {
  auto select =
      connection_.prepare(std::string("SELECT ") + kSummaryColumns + " FROM trees WHERE id = ?1");
  select.bindInteger(1, treeId);
  return findWhere(connection_, select);
}

StoredTree TreeRepository::get(std::int64_t treeId) {
  std::optional<StoredTree> tree = find(treeId);
  if (!tree) {
    throw Error("no tree " + std::to_string(treeId) + " in workspace " +
                connection_.file().parent_path().string());
  }
  return std::move(*tree);
}

std::optional<StoredTree> TreeRepository::find(std::int64_t runId, const std::string& stage,
                                               const std::string& problemId) {
  auto select = connection_.prepare(std::string("SELECT ") + kSummaryColumns +
                                    " FROM trees WHERE run_id = ?1 AND stage = ?2 AND "
                                    "problem_id = ?3");
  select.bindInteger(1, runId).bindText(2, stage).bindText(3, problemId);
  return findWhere(connection_, select);
}

std::vector<TreeSummary> TreeRepository::list(std::int64_t runId, const TreePage& page) {
  auto select = connection_.prepare(
      std::string("SELECT ") + kSummaryColumns +
      " FROM trees WHERE run_id = ?1 AND (?2 IS NULL OR stage = ?2) ORDER BY id "
      "LIMIT ?3 OFFSET ?4");
  select.bindInteger(1, runId);
  if (page.stage) {
    select.bindText(2, *page.stage);
  } else {
    select.bindNull(2);
  }
  select.bindInteger(3, page.limit).bindInteger(4, std::max<std::int64_t>(0, page.offset));
  std::vector<TreeSummary> summaries;
  while (select.step()) summaries.push_back(readSummary(select));
  return summaries;
}

std::int64_t TreeRepository::count(std::int64_t runId, const std::optional<std::string>& stage) {
  auto select = connection_.prepare(
      "SELECT count(*) FROM trees WHERE run_id = ?1 AND (?2 IS NULL OR stage = ?2)");
  select.bindInteger(1, runId);
  if (stage) {
    select.bindText(2, *stage);
  } else {
    select.bindNull(2);
  }
  select.step();
  return select.integer(0);
}

std::vector<TreeSummary> TreeRepository::listMatching(std::int64_t runId,
                                                      const TreeFilter& filter,
                                                      std::int64_t afterId, std::int64_t limit) {
  std::vector<FilterValue> values;
  const std::string where = buildWhere(filter, values);
  auto select = connection_.prepare(std::string("SELECT ") + kSummaryColumns +
                                    " FROM trees WHERE " + where + " AND id > ?2 ORDER BY id " +
                                    "LIMIT " + std::to_string(limit < 0 ? -1 : limit));
  select.bindInteger(1, runId).bindInteger(2, afterId);
  bindFilterValues(select, values);
  std::vector<TreeSummary> summaries;
  while (select.step()) summaries.push_back(readSummary(select));
  return summaries;
}

std::vector<TreeSummary> TreeRepository::listSorted(std::int64_t runId, const TreeFilter& filter,
                                                    const TreeOrder& order, std::int64_t offset,
                                                    std::int64_t limit) {
  std::vector<FilterValue> values;
  const std::string where = buildWhere(filter, values);
  auto select = connection_.prepare(std::string("SELECT ") + kSummaryColumns +
                                    " FROM trees WHERE " + where + " ORDER BY " + orderBy(order) +
                                    " LIMIT " + std::to_string(limit < 0 ? -1 : limit) +
                                    " OFFSET " + std::to_string(std::max<std::int64_t>(0, offset)));
  select.bindInteger(1, runId);  // ?2 unused, as in countMatching
  bindFilterValues(select, values);
  std::vector<TreeSummary> summaries;
  while (select.step()) summaries.push_back(readSummary(select));
  return summaries;
}

std::int64_t TreeRepository::countMatching(std::int64_t runId, const TreeFilter& filter) {
  std::vector<FilterValue> values;
  const std::string where = buildWhere(filter, values);
  auto select = connection_.prepare("SELECT count(*) FROM trees WHERE " + where);  // ?2 unused
  select.bindInteger(1, runId);
  bindFilterValues(select, values);
  select.step();
  return select.integer(0);
}

std::vector<std::string> TreeRepository::subjects(std::int64_t runId) {
  auto select = connection_.prepare(
      "SELECT DISTINCT subject FROM trees WHERE run_id = ?1 AND subject != '' ORDER BY subject");
  select.bindInteger(1, runId);
  std::vector<std::string> names;
  while (select.step()) names.push_back(select.text(0));
  return names;
}

std::vector<int> TreeRepository::levels(std::int64_t runId) {
  auto select = connection_.prepare(
      "SELECT DISTINCT level FROM trees WHERE run_id = ?1 AND level != 0 ORDER BY level");
  select.bindInteger(1, runId);
  std::vector<int> levels;
  while (select.step()) levels.push_back(static_cast<int>(select.integer(0)));
  return levels;
}

std::vector<std::string> TreeRepository::problemIds(std::int64_t runId, const std::string& stage) {
  auto select = connection_.prepare(
      "SELECT problem_id FROM trees WHERE run_id = ?1 AND stage = ?2 ORDER BY id");
  select.bindInteger(1, runId).bindText(2, stage);
  std::vector<std::string> ids;
  while (select.step()) ids.push_back(select.text(0));
  return ids;
}

std::vector<std::string> TreeRepository::stages(std::int64_t runId) {
  auto select =
      connection_.prepare("SELECT DISTINCT stage FROM trees WHERE run_id = ?1 ORDER BY stage");
  select.bindInteger(1, runId);
  std::vector<std::string> names;
  while (select.step()) names.push_back(select.text(0));
  return names;
}

void TreeRepository::remove(std::int64_t treeId) {
  detail::Transaction transaction(connection_);
  auto remove = connection_.prepare("DELETE FROM trees WHERE id = ?1");
  remove.bindInteger(1, treeId);
  remove.execute();
  transaction.commit();
}

}  // namespace astro::store
