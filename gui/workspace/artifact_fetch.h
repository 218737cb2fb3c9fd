// "Fetch" on an artifact of a mirrored run: `astro fetch RUN ARTIFACT_ID` as a QProcess (the
// checkpoint is copied from the run's host into the local workspace and checked against its
// SHA-256), with a status line while it works (its progress lines) and one signal when it is done.
// Several fetches may run at once; the same artifact is not fetched twice at once.
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <filesystem>
#include <set>
#include <utility>

namespace astro::gui {

class ArtifactFetch : public QObject {
  Q_OBJECT
 public:
  ArtifactFetch(QString cliPath, QObject* parent = nullptr);
  ~ArtifactFetch() override;  // stops the fetches still running

  // False when that artifact is being fetched already.
  bool fetch(const std::filesystem::path& workspace, std::int64_t runId, std::int64_t artifactId);
  bool fetching(std::int64_t runId, std::int64_t artifactId) const;

 Q_SIGNALS:
  void status(const QString& line);
  // `path`: where the artifact now is (the command's output); `error` empty on success.
  void finished(std::int64_t runId, std::int64_t artifactId, const QString& path,
                const QString& error);

 private:
  QString cliPath_;
  std::set<std::pair<std::int64_t, std::int64_t>> running_;
};

}  // namespace astro::gui
