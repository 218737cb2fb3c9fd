// Which rank a process is, from torchrun-style and Slurm variables, and the first host of a Slurm
// node list: exact values for the forms launchers write, and UsageErrors that name the variable.
#include "core/dist/dist_environment.h"

#include <QtTest>
#include <map>
#include <string>

#include "core/base/error.h"

using astro::dist::DistEnvironment;
using astro::dist::distEnvironmentFrom;
using astro::dist::firstSlurmHost;

namespace {

using Variables = std::map<std::string, std::string>;

DistEnvironment read(const Variables& variables) {
  return distEnvironmentFrom([&](const char* name) -> std::optional<std::string> {
    auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  });
}

// The UsageError's text, or "" when none was thrown.
QString usageError(const Variables& variables) {
  try {
    read(variables);
  } catch (const astro::UsageError& error) {
    return error.what();
  }
  return {};
}

QString nodeListError(const std::string& nodeList) {
  try {
    firstSlurmHost(nodeList);
  } catch (const astro::UsageError& error) {
    return error.what();
  }
  return {};
}

}  // namespace

class DistEnvironmentTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void nothingSet_isOneProcess() {
    DistEnvironment environment = read({});
    QCOMPARE(environment.rank, 0);
    QCOMPARE(environment.worldSize, 1);
    QCOMPARE(environment.localRank, 0);
    QCOMPARE(environment.launcher, std::string("single"));
    QVERIFY(!environment.distributed());
    QVERIFY(environment.isRankZero());
  }

  void torchrunVariables_areRead() {
    DistEnvironment environment = read({{"RANK", "3"},
                                        {"WORLD_SIZE", "4"},
                                        {"LOCAL_RANK", "1"},
                                        {"MASTER_ADDR", "node7"},
                                        {"MASTER_PORT", "29400"}});
    QCOMPARE(environment.rank, 3);
    QCOMPARE(environment.worldSize, 4);
    QCOMPARE(environment.localRank, 1);
    QCOMPARE(environment.masterAddress, std::string("node7"));
    QCOMPARE(environment.masterPort, 29400);
    QCOMPARE(environment.launcher, std::string("env"));
    QVERIFY(environment.distributed());
  }

  void bareCuda_isThisRanksOwnGpu() {
    DistEnvironment job = read({{"RANK", "3"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}});
    QCOMPARE(astro::dist::deviceForThisRank("cuda", job), std::string("cuda:1"));
    QCOMPARE(astro::dist::deviceForThisRank("cuda:0", job), std::string("cuda:0"));  // as named
    QCOMPARE(astro::dist::deviceForThisRank("cpu", job), std::string("cpu"));
    QCOMPARE(astro::dist::deviceForThisRank("cuda", read({})), std::string("cuda"));
  }

  void torchrunWithoutLocalRankOrMaster_usesOneNodeDefaults() {
    DistEnvironment environment = read({{"RANK", "1"}, {"WORLD_SIZE", "2"}});
    QCOMPARE(environment.localRank, 1);
    QCOMPARE(environment.masterAddress, std::string("127.0.0.1"));
    QCOMPARE(environment.masterPort, 29500);
  }

  void torchrunVariables_winOverSlurm() {
    DistEnvironment environment =
        read({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"SLURM_STEP_ID", "0"}, {"SLURM_PROCID", "5"},
              {"SLURM_NTASKS", "8"}});
    QCOMPARE(environment.launcher, std::string("env"));
    QCOMPARE(environment.worldSize, 2);
  }

  void slurmVariables_areRead() {
    DistEnvironment environment = read({{"SLURM_STEP_ID", "0"}, {"SLURM_PROCID", "5"},
                                        {"SLURM_NTASKS", "8"},
                                        {"SLURM_LOCALID", "1"},
                                        {"SLURM_JOB_ID", "123456"},
                                        {"SLURM_JOB_NODELIST", "gpu[03-05,09],cpu1"}});
    QCOMPARE(environment.rank, 5);
    QCOMPARE(environment.worldSize, 8);
    QCOMPARE(environment.localRank, 1);
    QCOMPARE(environment.masterAddress, std::string("gpu03"));
    QCOMPARE(environment.masterPort, 20000 + 123456 % 20000);
    QCOMPARE(environment.launcher, std::string("slurm"));
  }

  void slurmMasterVariables_override() {
    DistEnvironment environment = read({{"SLURM_STEP_ID", "0"}, {"SLURM_PROCID", "0"},
                                        {"SLURM_NTASKS", "2"},
                                        {"SLURM_JOB_ID", "77"},
                                        {"SLURM_JOB_NODELIST", "node[1-2]"},
                                        {"MASTER_ADDR", "10.0.0.5"},
                                        {"MASTER_PORT", "31000"}});
    QCOMPARE(environment.masterAddress, std::string("10.0.0.5"));
    QCOMPARE(environment.masterPort, 31000);
  }

  void slurmWithoutJobId_usesDefaultPort() {
    DistEnvironment environment =
        read({{"SLURM_STEP_ID", "0"}, {"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"},
              {"SLURM_JOB_NODELIST", "node1"}});
    QCOMPARE(environment.masterAddress, std::string("node1"));
    QCOMPARE(environment.masterPort, 29500);
    QCOMPARE(environment.localRank, 0);
  }

  void slurmBatchScript_isOneProcess() {
    // What a batch script with --ntasks 2 sees (slurmd 22.05): task variables, but no job step.
    QCOMPARE(read({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}, {"SLURM_LOCALID", "0"},
                   {"SLURM_JOB_NODELIST", "vm"}})
                 .launcher,
             std::string("single"));
  }

  void slurmNtasksAlone_isOneProcess() {
    // A batch script with --ntasks sets SLURM_NTASKS without a task's SLURM_PROCID.
    QCOMPARE(read({{"SLURM_NTASKS", "4"}}).launcher, std::string("single"));
  }

  void slurmWithoutNodeList_isRefused() {
    QCOMPARE(usageError({{"SLURM_STEP_ID", "0"}, {"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}}),
             QString("SLURM_NTASKS=2 but neither SLURM_JOB_NODELIST nor MASTER_ADDR says where "
                     "rank 0 runs"));
  }

  void malformedValues_nameTheVariable() {
    QCOMPARE(usageError({{"RANK", "one"}, {"WORLD_SIZE", "2"}}),
             QString("RANK='one' is not a whole number"));
    QCOMPARE(usageError({{"RANK", "2"}, {"WORLD_SIZE", "2"}}),
             QString("RANK='2' is outside 0..1 (WORLD_SIZE=2)"));
    QCOMPARE(usageError({{"RANK", "-1"}, {"WORLD_SIZE", "2"}}),
             QString("RANK='-1' is outside 0..1 (WORLD_SIZE=2)"));
    QCOMPARE(usageError({{"RANK", "0"}, {"WORLD_SIZE", "0"}}),
             QString("WORLD_SIZE='0' is outside 1 and up"));
    QCOMPARE(usageError({{"RANK", "0"}, {"WORLD_SIZE", "99999999999999999999"}}),
             QString("WORLD_SIZE='99999999999999999999' is not a whole number"));
    QCOMPARE(usageError({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"LOCAL_RANK", "2"}}),
             QString("LOCAL_RANK='2' is outside 0..1 (WORLD_SIZE=2)"));
    QCOMPARE(usageError({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "70000"}}),
             QString("MASTER_PORT='70000' is outside 1..65535"));
    QCOMPARE(usageError({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "29500 "}}),
             QString("MASTER_PORT='29500 ' is not a whole number"));
    QCOMPARE(usageError({{"SLURM_STEP_ID", "0"}, {"SLURM_PROCID", "8"}, {"SLURM_NTASKS", "8"}}),
             QString("SLURM_PROCID='8' is outside 0..7 (SLURM_NTASKS=8)"));
    QCOMPARE(usageError({{"SLURM_STEP_ID", "0"}, {"SLURM_PROCID", "0"},
                         {"SLURM_NTASKS", "2"},
                         {"SLURM_JOB_NODELIST", "n1"},
                         {"SLURM_JOB_ID", "x"}}),
             QString("SLURM_JOB_ID='x' is not a whole number"));
    QCOMPARE(
        usageError(
            {{"SLURM_STEP_ID", "0"}, {"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"},
             {"SLURM_JOB_NODELIST", "gpu[3-1]"}}),
        QString("SLURM_JOB_NODELIST: node list 'gpu[3-1]': range '3-1' runs backwards"));
  }

  void halfOfAPair_isRefused() {
    QCOMPARE(usageError({{"WORLD_SIZE", "2"}}),
             QString("WORLD_SIZE is set but RANK is not: a data-parallel launcher sets both"));
    QCOMPARE(usageError({{"RANK", "0"}}),
             QString("RANK is set but WORLD_SIZE is not: a data-parallel launcher sets both"));
  }

  void emptyValues_countAsUnset() {
    QCOMPARE(read({{"RANK", ""}, {"WORLD_SIZE", ""}}).launcher, std::string("single"));
  }

  void firstSlurmHost_ofEveryForm() {
    QCOMPARE(firstSlurmHost("gpu[03-05,09],cpu1"), std::string("gpu03"));
    QCOMPARE(firstSlurmHost("node1"), std::string("node1"));
    QCOMPARE(firstSlurmHost("node1,node2"), std::string("node1"));
    QCOMPARE(firstSlurmHost("a[1-2]b"), std::string("a1b"));
    QCOMPARE(firstSlurmHost("rack[2,4]-n[07-08]"), std::string("rack2-n07"));
    QCOMPARE(firstSlurmHost("gpu[9]"), std::string("gpu9"));
    QCOMPARE(firstSlurmHost("cpu1,gpu[03-05]"), std::string("cpu1"));
    QCOMPARE(firstSlurmHost("n-1.cluster_a"), std::string("n-1.cluster_a"));
  }

  void firstSlurmHost_malformedLists_areRefused() {
    QCOMPARE(nodeListError(""), QString("node list '': empty"));
    QCOMPARE(nodeListError("gpu["), QString("node list 'gpu[': '[' without ']'"));
    QCOMPARE(nodeListError("gpu]"), QString("node list 'gpu]': ']' without '['"));
    QCOMPARE(nodeListError("gpu[]"), QString("node list 'gpu[]': empty brackets []"));
    QCOMPARE(nodeListError("gpu[1-2"), QString("node list 'gpu[1-2': '[' without ']'"));
    QCOMPARE(nodeListError("gpu[1[2]]"), QString("node list 'gpu[1[2]]': nested '['"));
    QCOMPARE(nodeListError("gpu[a-b]"),
             QString("node list 'gpu[a-b]': range 'a-b' is not N or N-M"));
    QCOMPARE(nodeListError("gpu[1,]"), QString("node list 'gpu[1,]': range '' is not N or N-M"));
    QCOMPARE(nodeListError("gpu[1-2-3]"),
             QString("node list 'gpu[1-2-3]': range '1-2-3' is not N or N-M"));
    QCOMPARE(nodeListError(",node1"), QString("node list ',node1': empty host name"));
    QCOMPARE(nodeListError("node1,"), QString("node list 'node1,': empty host name"));
    QCOMPARE(nodeListError("node1,,node2"), QString("node list 'node1,,node2': empty host name"));
    QCOMPARE(nodeListError("node 1"), QString("node list 'node 1': unexpected character ' '"));
    QCOMPARE(nodeListError("gpu[3-1]"),
             QString("node list 'gpu[3-1]': range '3-1' runs backwards"));
  }
};

QTEST_GUILESS_MAIN(DistEnvironmentTest)
#include "dist_environment_test.moc"
