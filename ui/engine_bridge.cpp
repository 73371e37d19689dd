// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine_bridge.h"

#include "catalog/catalog.h"
#include "compute/runtime.h"
#include "core/errors.h"
#include "services/corpus_service.h"
#include "services/run_service.h"

#include <QMetaObject>

namespace wb::ui {

namespace {
// The nice value of a training job's threads under the GUI: they take
// whatever CPU the GUI thread (and the rest of the desktop) leaves.
constexpr int kTrainingNice = 10;
} // namespace

EngineBridge::EngineBridge(const std::filesystem::path& catalogFile, QObject* parent)
    : QObject(parent), m_catalogFile(catalogFile), m_catalog(std::make_unique<Catalog>(catalogFile))
{
}

EngineBridge::~EngineBridge()
{
    m_cancelImport.store(true);
    if (m_importThread.joinable())
        m_importThread.join();
    // A run taken from the queue goes back to it (checkpoint kept) and
    // continues at the next start; one started here ends as `stopped`.
    if (m_job && m_jobFromQueue)
        m_job->requestRequeue();
    m_job.reset(); // requests a stop and joins
}

std::vector<CorpusRecord> EngineBridge::corpora()
{
    return m_catalog->corpora();
}

std::vector<RunRecord> EngineBridge::runs()
{
    return m_catalog->runs();
}

std::vector<MetricPoint> EngineBridge::metrics(std::int64_t runId, const std::string& name)
{
    return m_catalog->metrics(runId, name);
}

std::vector<SampleRecord> EngineBridge::samples(std::int64_t runId)
{
    return m_catalog->samples(runId);
}

std::vector<TokenizerRecord> EngineBridge::tokenizers()
{
    return m_catalog->tokenizers();
}

QString EngineBridge::corpusSummaryJson(const QString& corpus, QString* error)
{
    try {
        return QString::fromStdString(showCorpus(*m_catalog, corpus.toStdString()));
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return {};
    }
}

bool EngineBridge::removeCorpus(const QString& corpus, QString* error)
{
    try {
        removeCorpusWithFiles(*m_catalog, corpus.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

std::vector<std::int64_t> EngineBridge::deleteRun(std::int64_t runId, bool withChildren, QString* error)
{
    try {
        return wb::deleteRun(*m_catalog, runId, withChildren).runs;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return {};
    }
}

int EngineBridge::descendantCount(std::int64_t runId)
{
    try {
        return static_cast<int>(runsBuiltOn(*m_catalog, runId).size());
    } catch (const std::exception&) {
        return 0;
    }
}

std::vector<SystemCorpus> EngineBridge::systemCorpora()
{
    return wb::systemCorpora();
}

std::int64_t EngineBridge::activeRun() const
{
    return m_job ? m_job->runId() : 0;
}

std::int64_t EngineBridge::startJob(const std::function<std::unique_ptr<TrainingJob>(EventListener)>& make, QString* error)
{
    if (m_job)
        return 0;
    m_jobFromQueue = false;
    try {
        m_job = make([this](const EventBatch& batch) {
            // Worker thread: a copy of the batch goes to the GUI thread.
            postToGui([this, batch] { deliver(batch); });
        });
        // Training takes every core: its threads yield to the GUI thread
        // (docs/benchmarks.md, "GUI responsiveness").
        m_job->setWorkerNice(kTrainingNice);
        m_job->start();
        return m_job->runId();
    } catch (const std::exception& e) {
        m_job.reset();
        if (error)
            *error = QString::fromStdString(e.what());
        return 0;
    }
}

std::int64_t EngineBridge::startTraining(const RunConfig& config, QString* error)
{
    return startJob([&](EventListener l) { return newRun(m_catalogFile, config, std::move(l)); }, error);
}

std::int64_t EngineBridge::resumeTraining(std::int64_t runId, QString* error, QStringList* notices)
{
    return startJob([&](EventListener l) {
        auto job = resumedRun(m_catalogFile, runId, 0, std::move(l));
        if (notices) {
            for (const auto& n : job->notices())
                notices->push_back(QString::fromStdString(n));
            if (job->restartsFromScratch())
                notices->push_back(tr("Run %1 has no intact checkpoint: it trains again from step 0 with the same seed.").arg(runId));
        }
        return job;
    }, error);
}

std::int64_t EngineBridge::startFinetune(const FinetuneRequest& request, QString* error)
{
    return startJob([&](EventListener l) { return newRun(m_catalogFile, finetuneConfig(*m_catalog, request), std::move(l)); },
                    error);
}

std::int64_t EngineBridge::startDistill(const DistillRequest& request, bool baseline, QString* error)
{
    RunConfig config;
    try {
        config = distillConfig(*m_catalog, request);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return 0;
    }
    const auto id = startJob([&](EventListener l) { return newRun(m_catalogFile, config, std::move(l)); }, error);
    if (id && baseline)
        enqueue(distillBaseline(config), error); // the queue starts it when this run is done
    return id;
}

bool EngineBridge::previewDistill(const DistillRequest& request, DistillPreview* out, QString* error)
{
    try {
        *out = wb::previewDistill(*m_catalog, request);
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

bool EngineBridge::previewFinetune(const FinetuneRequest& request, FinetunePreview* out, QString* error)
{
    try {
        *out = wb::previewFinetune(*m_catalog, request);
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

std::vector<RunRecord> EngineBridge::queue()
{
    return m_catalog->queue();
}

std::int64_t EngineBridge::enqueue(const RunConfig& config, QString* error)
{
    try {
        return queueRun(*m_catalog, config);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return 0;
    }
}

bool EngineBridge::controlRun(std::int64_t runId, const QString& action, QString* error)
{
    try {
        m_catalog->controlRun(runId, action.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

bool EngineBridge::moveInQueue(std::int64_t runId, int position, QString* error)
{
    try {
        m_catalog->moveInQueue(runId, position);
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

std::int64_t EngineBridge::startNextQueued(const std::string& device)
{
    if (m_job)
        return 0;
    std::optional<RunRecord> claimed;
    try {
        claimed = claimQueuedRun(*m_catalog, device);
    } catch (const std::exception&) {
        return 0; // the catalog is busy or gone: try again at the next tick
    }
    if (!claimed)
        return 0;
    QString error;
    // claimedRunJob marks the run failed when its job cannot be made.
    const auto id = startJob([&](EventListener l) { return claimedRunJob(m_catalogFile, *claimed, std::move(l)); }, &error);
    if (!id) {
        emit trainingEnded(claimed->id, status::kFailed, error);
        return 0;
    }
    m_jobFromQueue = true;
    return id;
}

std::vector<SweepRecord> EngineBridge::sweeps()
{
    return m_catalog->sweeps();
}

bool EngineBridge::sweepResults(std::int64_t sweepId, SweepResults* out, QString* error)
{
    try {
        *out = wb::sweepResults(*m_catalog, sweepId);
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

std::int64_t EngineBridge::enqueueSweepFile(const QString& path, int* runs, QString* error)
{
    try {
        const QueuedSweep q = queueSweepFile(m_catalogFile, path.toStdString());
        if (runs)
            *runs = static_cast<int>(q.runs.size());
        return q.sweepId;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return 0;
    }
}

void EngineBridge::stopTraining()
{
    if (m_job)
        m_job->requestStop();
}

void EngineBridge::postToGui(std::function<void()> call)
{
    // The calls wait in a list under a std::mutex, and one queued wake-up per
    // non-empty list runs them in order on the GUI thread. The wake-up is
    // posted while the mutex is held, and the GUI thread takes the mutex
    // before it runs anything, so everything the worker wrote is visibly
    // published by the mutex (Qt's own event queue synchronises with
    // futexes that ThreadSanitizer cannot see), and a GUI that falls behind
    // runs many batches per wake-up instead of one event each.
    std::lock_guard lock(m_postedMutex);
    m_posted.push_back(std::move(call));
    if (!m_wakePosted) {
        m_wakePosted = true;
        // By name, not with a lambda: a functor would be written here and
        // read on the GUI thread before it takes the mutex.
        QMetaObject::invokeMethod(this, "runPosted", Qt::QueuedConnection);
    }
}

void EngineBridge::runPosted()
{
    std::vector<std::function<void()>> calls;
    {
        std::lock_guard lock(m_postedMutex);
        calls.swap(m_posted);
        m_wakePosted = false;
    }
    for (auto& call : calls)
        call();
}

void EngineBridge::deliver(const EventBatch& batch)
{
    emit events(batch);
    for (const auto& ev : batch.events) {
        const auto* st = std::get_if<StateEvent>(&ev);
        if (!st || st->status == status::kRunning)
            continue;
        if (m_job && m_job->runId() == batch.runId) {
            m_job->wait(); // the worker has posted its last event and is returning
            m_job.reset();
        }
        emit trainingEnded(batch.runId, st->status, QString::fromStdString(st->message));
    }
}

bool EngineBridge::startBackground(const std::function<void(const std::function<bool(double)>&)>& work,
                                   const std::function<void(bool, const QString&)>& done, QString* error, const QString& what)
{
    if (m_importThread.joinable()) {
        if (error)
            *error = tr("Another import or tokenizer training is still running.");
        return false;
    }
    m_cancelImport.store(false);
    const QString label = what.isEmpty() ? tr("import") : what;
    m_importThread = std::thread([this, work, done, label] {
        bool ok = false;
        QString message;
        try {
            work([this, label](double f) {
                postToGui([this, f, label] { emit importProgress(f, label); });
                return !m_cancelImport.load();
            });
            ok = true;
        } catch (const Cancelled&) {
            message = tr("Cancelled; nothing was added.");
        } catch (const std::exception& e) {
            message = QString::fromStdString(e.what());
        }
        postToGui([this, ok, message, done] {
            if (m_importThread.joinable())
                m_importThread.join();
            done(ok, message);
        });
    });
    return true;
}

bool EngineBridge::startImport(const CorpusImportOptions& options, QString* error)
{
    const QString name = QString::fromStdString(options.name);
    return startBackground(
        [this, options](const std::function<bool(double)>& progress) {
            importCorpusFiles(m_catalogFile, options, progress);
        },
        [this, name](bool ok, const QString& message) { emit importFinished(ok, name, message); }, error);
}

bool EngineBridge::startTokenizerTraining(const QString& name, const QString& corpus,
                                          const TokenizerTrainOptions& options, QString* error)
{
    return startBackground(
        [this, name, corpus, options](const std::function<bool(double)>& progress) {
            trainTokenizer(m_catalogFile, name.toStdString(), corpus.toStdString(), options, progress);
        },
        [this, name](bool ok, const QString& message) { emit tokenizerFinished(ok, name, message); }, error);
}

void EngineBridge::cancelImport()
{
    m_cancelImport.store(true);
}

bool EngineBridge::startCompress(const CompressRequest& request, QString* error)
{
    try {
        Catalog catalog(m_catalogFile);
        checkCompressRequest(catalog, request); // a bad request is named now, not on the thread
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    auto made = std::make_shared<std::int64_t>(0);
    return startBackground(
        [this, request, made](const std::function<bool(double)>& progress) {
            Catalog catalog(m_catalogFile);
            *made = makeVariant(catalog, request, [&](double f) { return progress(0.5 * f); });
            measureRun(catalog, *made, {}, [&](double f) { return progress(0.5 + 0.5 * f); });
        },
        [this, made](bool ok, const QString& message) { emit compressFinished(ok, *made, message); }, error, tr("compress"));
}

bool EngineBridge::startMeasure(const std::vector<std::int64_t>& runs, QString* error)
{
    return startBackground(
        [this, runs](const std::function<bool(double)>& progress) {
            Catalog catalog(m_catalogFile);
            for (std::size_t i = 0; i < runs.size(); ++i)
                measureRun(catalog, runs[i], {}, [&](double f) {
                    return progress((static_cast<double>(i) + f) / static_cast<double>(runs.size()));
                });
        },
        [this](bool ok, const QString& message) { emit measureFinished(ok, message); }, error, tr("measure"));
}

bool EngineBridge::startSensitivity(std::int64_t run, const QString& method, double sparsity, QString* error)
{
    auto report = std::make_shared<std::string>();
    return startBackground(
        [this, run, method, sparsity, report](const std::function<bool(double)>& progress) {
            Catalog catalog(m_catalogFile);
            *report = sensitivitySweep(catalog, run, method.toStdString(), sparsity, 16384, progress);
        },
        [this, report](bool ok, const QString& message) {
            emit sensitivityFinished(ok, QString::fromStdString(*report), message);
        },
        error, tr("sensitivity"));
}

namespace {

QString guarded(QString* error, const std::function<std::string()>& fn)
{
    try {
        return QString::fromStdString(fn());
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return {};
    }
}

} // namespace

QString EngineBridge::variantBoard(const std::vector<std::int64_t>& runs, QString* error)
{
    return guarded(error, [&] { return wb::variantBoard(*m_catalog, runs); });
}

QString EngineBridge::layerBytes(std::int64_t run, QString* error)
{
    return guarded(error, [&] { return layerBytesReport(*m_catalog, run); });
}

QString EngineBridge::rankCurve(std::int64_t run, const QString& layer, QString* error)
{
    return guarded(error, [&] { return rankCurveReport(*m_catalog, run, layer.toStdString()); });
}

bool EngineBridge::cudaAvailable()
{
    return wb::cudaAvailable();
}

QString EngineBridge::cudaUnavailableReason()
{
    return tr("CUDA is not available: this LibTorch was built without CUDA support, or no NVIDIA GPU is visible.");
}

} // namespace wb::ui
