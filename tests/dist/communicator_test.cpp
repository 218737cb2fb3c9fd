// Collectives between two real processes over Gloo on 127.0.0.1: this test process is one rank and
// re-executes itself (ASTRO_DIST_TEST_ROLE set) as the other. Every collective's values are exact,
// and a rank that never joins, dies or stops answering makes the other throw within the timeout
// instead of hanging (each such test is also guarded by alarm()).
#include "core/dist/detail/communicator.h"

#include <unistd.h>

#include <QProcess>
#include <QtTest>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "core/base/error.h"
#include "core/dist/local_launcher.h"

using astro::dist::DistEnvironment;
using astro::dist::detail::Communicator;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::chrono::milliseconds kJoinTimeout{60000};  // two libtorch start-ups on busy cores
constexpr std::chrono::milliseconds kShortTimeout{3000};

std::string bigBytes(char seed) {
  std::string bytes(1 << 20, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(seed + i * 7);
  return bytes;
}

// The checks both ranks run in the same order; returns what did not hold ("" when all did).
std::string runCollectiveChecks(Communicator& comm) {
  std::string failures;
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) failures += "rank " + std::to_string(comm.rank()) + ": " + what + "\n";
  };
  const int r = comm.rank();
  const float scale = static_cast<float>(r + 1);  // rank 0: 1, rank 1: 2; the sum is 3

  // A bucket of three tensors: two dtypes, one of them not contiguous.
  torch::Tensor a = torch::full({3}, scale);
  torch::Tensor b = torch::arange(4, torch::kInt64).reshape({2, 2}) * (r + 1);
  torch::Tensor base = torch::arange(6, torch::kFloat32).reshape({2, 3}) * scale;
  torch::Tensor c = base.t();  // [3, 2], a view with strides (1, 3)
  std::vector<torch::Tensor> bucket{a, b, c};
  comm.allReduceSum(bucket);
  check(torch::equal(a, torch::full({3}, 3.0f)), "all-reduce of a float tensor");
  check(torch::equal(b, torch::arange(4, torch::kInt64).reshape({2, 2}) * 3),
        "all-reduce of an int64 tensor");
  check(torch::equal(base, torch::arange(6, torch::kFloat32).reshape({2, 3}) * 3),
        "all-reduce of a transposed view writes through to its base");
  std::vector<torch::Tensor> single{torch::full({1000}, scale)};
  comm.allReduceSum(single);
  check(torch::equal(single[0], torch::full({1000}, 3.0f)), "all-reduce of one tensor");

  // Two all-reduces under way at once (the buckets of an overlapped backward), waited in order.
  torch::Tensor first = torch::full({5000}, scale);
  torch::Tensor second = torch::full({7}, 10.0f * scale);
  auto firstPending = comm.startAllReduceSum(first);
  auto secondPending = comm.startAllReduceSum(second);
  firstPending->wait();
  secondPending->wait();
  check(torch::equal(first, torch::full({5000}, 3.0f)) && torch::equal(second, torch::full({7}, 30.0f)),
        "two started all-reduces");

  torch::Tensor shard = torch::arange(3, torch::kFloat32) + 10.0f * static_cast<float>(r);
  torch::Tensor flat = torch::zeros({6});
  comm.allGather(shard, flat);
  check(torch::equal(flat, torch::tensor({0.f, 1.f, 2.f, 10.f, 11.f, 12.f})), "all-gather");

  torch::Tensor fromOne = torch::full({4}, static_cast<float>(r));
  comm.broadcast(fromOne, 1);
  check(torch::equal(fromOne, torch::full({4}, 1.0f)), "broadcast from rank 1");

  std::string withNul("hello\0world", 11);
  check(comm.broadcastBytes(r == 0 ? withNul : "not this") == withNul, "broadcastBytes");
  check(comm.broadcastBytes(r == 0 ? "" : "not this").empty(), "broadcastBytes of nothing");
  check(comm.broadcastBytes(r == 0 ? bigBytes('a') : "") == bigBytes('a'),
        "broadcastBytes of 1 MiB");

  auto gathered = comm.allGatherBytes(r == 0 ? "a" : "bc");
  check(gathered == std::vector<std::string>{"a", "bc"}, "allGatherBytes");
  gathered = comm.allGatherBytes(r == 0 ? "" : bigBytes('z'));
  check(gathered == std::vector<std::string>{"", bigBytes('z')}, "allGatherBytes, empty + 1 MiB");
  gathered = comm.allGatherBytes("");
  check(gathered == std::vector<std::string>{"", ""}, "allGatherBytes of nothing");

  comm.barrier();
  return failures;
}

DistEnvironment twoRanks(int rank, int port) {
  DistEnvironment environment;
  environment.rank = rank;
  environment.localRank = rank;
  environment.worldSize = 2;
  environment.masterPort = port;
  environment.launcher = "env";
  return environment;
}

// The other rank: this program again, with a role.
class Peer {
 public:
  Peer(const QString& role, int port) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("ASTRO_DIST_TEST_ROLE", role);
    environment.insert("RANK", "1");
    environment.insert("WORLD_SIZE", "2");
    environment.insert("MASTER_ADDR", "127.0.0.1");
    environment.insert("MASTER_PORT", QString::number(port));
    process_.setProcessEnvironment(environment);
    process_.setProcessChannelMode(QProcess::ForwardedChannels);
    process_.start(QCoreApplication::applicationFilePath(), {});
    if (!process_.waitForStarted(10000)) qFatal("cannot start the peer rank");
  }
  ~Peer() {
    if (process_.state() != QProcess::NotRunning) {
      process_.kill();
      process_.waitForFinished(10000);
    }
  }
  int finish() {
    if (!process_.waitForFinished(120000)) return -1;
    return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -2;
  }

 private:
  QProcess process_;
};

// Kills the whole test (SIGALRM's default action) if a "never hangs" promise is broken.
struct AlarmGuard {
  explicit AlarmGuard(unsigned seconds) { ::alarm(seconds); }
  ~AlarmGuard() { ::alarm(0); }
};

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The peer side: returns the process exit code.
int runRole(const std::string& role) {
  try {
    auto comm = Communicator::connect(astro::dist::distEnvironmentFromProcess(),
                                      torch::Device(torch::kCPU), kJoinTimeout);
    if (role == "checks") {
      std::string failures = runCollectiveChecks(*comm);
      std::fputs(failures.c_str(), stderr);
      return failures.empty() ? 0 : 1;
    }
    comm->barrier();
    if (role == "exit-after-barrier") ::_exit(3);  // as a crash would: no goodbye to the peer
    if (role == "sleep-after-barrier") std::this_thread::sleep_for(std::chrono::seconds(60));
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "peer rank: %s\n", error.what());
    return 2;
  }
}

}  // namespace

class CommunicatorTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void single_collectivesAreIdentities() {
    auto comm = Communicator::connect(DistEnvironment{}, torch::Device(torch::kCPU),
                                      std::chrono::seconds(1));
    QCOMPARE(comm->rank(), 0);
    QCOMPARE(comm->worldSize(), 1);
    std::vector<torch::Tensor> tensors{torch::full({2}, 5.0f)};
    comm->allReduceSum(tensors);
    QVERIFY(torch::equal(tensors[0], torch::full({2}, 5.0f)));
    torch::Tensor flat = torch::zeros({2});
    comm->allGather(torch::full({2}, 7.0f), flat);
    QVERIFY(torch::equal(flat, torch::full({2}, 7.0f)));
    QCOMPARE(comm->broadcastBytes("x"), std::string("x"));
    QCOMPARE(comm->allGatherBytes("y"), std::vector<std::string>{"y"});
    comm->barrier();
  }

  void twoGlooRanks_everyCollectiveIsExact() {
    AlarmGuard guard(240);
    int port = astro::dist::findFreePort();
    Peer peer("checks", port);
    auto comm = Communicator::connect(twoRanks(0, port), torch::Device(torch::kCPU), kJoinTimeout);
    QCOMPARE(comm->rank(), 0);
    QCOMPARE(comm->worldSize(), 2);
    std::string failures = runCollectiveChecks(*comm);
    QVERIFY2(failures.empty(), failures.c_str());
    QCOMPARE(peer.finish(), 0);
  }

  void rankThatNeverJoins_makesConnectThrowWithinTheTimeout() {
    AlarmGuard guard(30);
    int port = astro::dist::findFreePort();
    auto start = Clock::now();
    try {
      Communicator::connect(twoRanks(0, port), torch::Device(torch::kCPU), kShortTimeout);
      QFAIL("connect returned without the other rank");
    } catch (const astro::Error& error) {
      double seconds = secondsSince(start);
      QString text = error.what();
      QVERIFY2(text.startsWith(QString("rank 0 of 2: joining the job at 127.0.0.1:%1 "
                                       "(MASTER_ADDR:MASTER_PORT) failed: ")
                                   .arg(port)),
               qPrintable(text));
      QVERIFY2(text.endsWith("(a rank may have died or not joined within 3s)"), qPrintable(text));
      QVERIFY2(seconds < 3.0 + 2.0, qPrintable(QString::number(seconds)));
      qInfo("rank 0 alone gave up after %.2f s: %s", seconds, error.what());
    }
  }

  void rankZeroThatNeverServes_makesConnectThrowWithinTheTimeout() {
    AlarmGuard guard(30);
    int port = astro::dist::findFreePort();
    auto start = Clock::now();
    try {
      Communicator::connect(twoRanks(1, port), torch::Device(torch::kCPU), kShortTimeout);
      QFAIL("connect returned without rank 0");
    } catch (const astro::Error& error) {
      double seconds = secondsSince(start);
      QString text = error.what();
      QVERIFY2(text.startsWith(QString("rank 1 of 2: joining the job at 127.0.0.1:%1 "
                                       "(MASTER_ADDR:MASTER_PORT) failed: ")
                                   .arg(port)),
               qPrintable(text));
      QVERIFY2(seconds < 3.0 + 2.0, qPrintable(QString::number(seconds)));
      qInfo("rank 1 without a rank 0 gave up after %.2f s: %s", seconds, error.what());
    }
  }

  void rankThatDies_makesTheNextCollectiveThrow() {
    AlarmGuard guard(120);
    int port = astro::dist::findFreePort();
    Peer peer("exit-after-barrier", port);
    auto comm = Communicator::connect(twoRanks(0, port), torch::Device(torch::kCPU), kShortTimeout);
    comm->barrier();
    QCOMPARE(peer.finish(), 3);
    auto start = Clock::now();
    try {
      std::vector<torch::Tensor> tensors{torch::ones({1 << 20})};  // 4 MiB: writes before it reads
      comm->allReduceSum(tensors);
      QFAIL("all-reduce returned with the other rank gone");
    } catch (const astro::Error& error) {
      double seconds = secondsSince(start);
      QString text = error.what();
      QVERIFY2(text.startsWith("rank 0 of 2: all-reduce failed: "), qPrintable(text));
      QVERIFY2(text.endsWith("(a rank may have died or not joined within 3s)"), qPrintable(text));
      QVERIFY2(seconds < 3.0 + 2.0, qPrintable(QString::number(seconds)));
      qInfo("all-reduce noticed the dead rank after %.2f s: %s", seconds, error.what());
    }
  }

  void rankThatStopsAnswering_makesTheNextCollectiveThrowAtTheTimeout() {
    AlarmGuard guard(120);
    int port = astro::dist::findFreePort();
    Peer peer("sleep-after-barrier", port);
    auto comm = Communicator::connect(twoRanks(0, port), torch::Device(torch::kCPU), kShortTimeout);
    comm->barrier();
    auto start = Clock::now();
    try {
      comm->barrier();
      QFAIL("barrier returned while the other rank sleeps");
    } catch (const astro::Error& error) {
      double seconds = secondsSince(start);
      QString text = error.what();
      QVERIFY2(text.startsWith("rank 0 of 2: barrier failed: "), qPrintable(text));
      QVERIFY2(seconds > 2.5 && seconds < 3.0 + 2.0, qPrintable(QString::number(seconds)));
      qInfo("barrier gave up on a silent rank after %.2f s: %s", seconds, error.what());
    }
  }
};

int main(int argc, char** argv) {
  if (const char* role = std::getenv("ASTRO_DIST_TEST_ROLE")) return runRole(role);
  QCoreApplication app(argc, argv);
  CommunicatorTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "communicator_test.moc"
