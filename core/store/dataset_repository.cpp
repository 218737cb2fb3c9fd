// Datasets by content hash (dataset_repository.h).
#include "core/store/dataset_repository.h"

#include "core/base/sha256.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {
constexpr const char* kDatasetColumns = "id, name, path, sha256, format, records, registered";

Dataset readDataset(const detail::Statement& row) {
  return Dataset{
      .id = row.integer(0),
      .name = row.text(1),
      .path = row.text(2),
      .sha256 = row.text(3),
      .format = row.text(4),
      .records = row.integer(5),
      .registered = fromMilliseconds(row.integer(6)),
  };
}
}  // namespace

Dataset DatasetRepository::registerDataset(const NewDataset& dataset) {
  detail::Transaction transaction(connection_);
  auto insert = connection_.prepare(
      "INSERT INTO datasets (name, path, sha256, format, records, registered) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (sha256) DO NOTHING");
  insert.bindText(1, dataset.name).bindText(2, dataset.path).bindText(3, dataset.sha256);
  insert.bindText(4, dataset.format).bindInteger(5, dataset.records);
  insert.bindInteger(6, toMilliseconds(currentTimestamp()));
  insert.execute();
  Dataset stored = *findBySha256(dataset.sha256);
  transaction.commit();
  return stored;
}

Dataset DatasetRepository::registerFile(const std::filesystem::path& file, const std::string& name,
                                        const std::string& format, std::int64_t records) {
  return registerDataset({.name = name,
                          .path = file.string(),
                          .sha256 = sha256FileHex(file),
                          .format = format,
                          .records = records});
}

std::optional<Dataset> DatasetRepository::findBySha256(const std::string& sha256) {
  auto statement = connection_.prepare(std::string("SELECT ") + kDatasetColumns +
                                       " FROM datasets WHERE sha256 = ?1");
  statement.bindText(1, sha256);
  if (!statement.step()) return std::nullopt;
  return readDataset(statement);
}

std::optional<Dataset> DatasetRepository::find(std::int64_t id) {
  auto statement = connection_.prepare(std::string("SELECT ") + kDatasetColumns +
                                       " FROM datasets WHERE id = ?1");
  statement.bindInteger(1, id);
  if (!statement.step()) return std::nullopt;
  return readDataset(statement);
}

std::vector<Dataset> DatasetRepository::list() {
  auto statement =
      connection_.prepare(std::string("SELECT ") + kDatasetColumns + " FROM datasets ORDER BY id");
  std::vector<Dataset> datasets;
  while (statement.step()) datasets.push_back(readDataset(statement));
  return datasets;
}

}  // namespace astro::store
