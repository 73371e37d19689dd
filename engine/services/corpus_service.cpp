// SPDX-License-Identifier: GPL-3.0-or-later
#include "services/corpus_service.h"

#include "catalog/catalog.h"
#include "core/containment.h"
#include "core/errors.h"
#include "store/corpus_store.h"

namespace wb {

std::string showCorpus(Catalog& catalog, const std::string& name, bool detailed)
{
    const auto c = catalog.corpusByName(name);
    if (!c)
        throw InputError("no corpus named '" + name + "' in the catalog");
    corpusTokenizer(catalog, *c); // registers the character tokenizer of an older corpus
    return corpusSummaryJson(catalog, *catalog.corpusByName(name), detailed);
}

std::size_t removeCorpusWithFiles(Catalog& catalog, const std::string& name)
{
    const auto files = catalog.removeCorpus(name); // the rows first: a failure leaves the files in place
    // Only files inside the artifact folder are removed (a row that points
    // outside it, or through a link out of it, loses its row, nothing more).
    std::vector<std::filesystem::path> inside;
    for (const auto& f : files)
        if (!containmentProblem(catalog.artifactDir(), f))
            inside.push_back(catalog.artifactPath(f));
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto& f : inside)
        removed += std::filesystem::remove(f, ec) ? 1 : 0;
    for (const auto& f : inside) { // the corpus's folder, now empty
        const auto dir = f.parent_path();
        if (dir != catalog.artifactDir() && !containmentProblem(catalog.artifactDir(), dir.lexically_relative(catalog.artifactDir()).string())
            && std::filesystem::is_empty(dir, ec))
            std::filesystem::remove(dir, ec);
    }
    return removed;
}

CorpusRecord importCorpusFiles(const std::filesystem::path& catalogFile, const CorpusImportOptions& options,
                               const std::function<bool(double)>& progress)
{
    Catalog catalog(catalogFile); // this thread's own connection
    return importCorpus(catalog, options, progress);
}

void trainTokenizer(const std::filesystem::path& catalogFile, const std::string& name, const std::string& corpus,
                    const TokenizerTrainOptions& options, const std::function<bool(double)>& progress)
{
    Catalog catalog(catalogFile);
    trainCorpusTokenizer(catalog, name, corpus, options, progress);
}

} // namespace wb
