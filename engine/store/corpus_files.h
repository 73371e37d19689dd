// SPDX-License-Identifier: GPL-3.0-or-later
// Which files an import reads (internal): the paths given, folders walked
// under the globs, labeled class folders, each file's format, and the first
// bytes of a file to sniff.
#pragma once

#include "core/errors.h"
#include "data/byte_stream.h"
#include "data/corpus_import.h"
#include "data/glob.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace wb::detail {

namespace fs = std::filesystem;

constexpr std::size_t kReportCap = 200; // entries per list in the corpus report

struct SourceFile {
    fs::path path;
    bool fromFolder = false;     // found by walking a folder (bad files are then skipped)
    std::optional<std::string> label; // the class folder's name (Folders format)
};

inline bool matchesAny(const std::vector<std::string>& globs, const std::string& rel)
{
    return std::any_of(globs.begin(), globs.end(), [&](const auto& g) { return globMatch(g, rel); });
}

inline std::vector<fs::path> walk(const fs::path& dir, const CorpusImportOptions& options, const fs::path& relativeTo)
{
    std::vector<fs::path> found;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code fileEc;
        if (!it->is_regular_file(fileEc))
            continue;
        const std::string rel = it->path().lexically_relative(relativeTo).generic_string();
        if ((!options.include.empty() && !matchesAny(options.include, rel)) || matchesAny(options.exclude, rel))
            continue;
        found.push_back(it->path());
    }
    if (ec)
        throw InputError("cannot list " + dir.string() + ": " + ec.message());
    std::sort(found.begin(), found.end());
    return found;
}

inline std::vector<SourceFile> expandPaths(const CorpusImportOptions& options)
{
    std::vector<SourceFile> files;
    for (const auto& p : options.paths) {
        std::error_code ec;
        const auto st = fs::status(p, ec);
        if (ec || !fs::exists(st))
            throw InputError("cannot read " + p.string() + ": no such file or directory");
        if (options.format == TextFormat::Folders) {
            if (!fs::is_directory(st))
                throw InputError("--format folders: " + p.string() + " is not a folder (give a folder holding one subfolder per class)");
            std::vector<fs::path> classes;
            for (const auto& e : fs::directory_iterator(p, ec))
                if (e.is_directory())
                    classes.push_back(e.path());
            std::sort(classes.begin(), classes.end());
            if (classes.empty())
                throw InputError("--format folders: " + p.string() + " has no subfolders; each subfolder is a class");
            for (const auto& c : classes)
                for (auto& f : walk(c, options, c))
                    files.push_back({std::move(f), true, c.filename().string()});
            continue;
        }
        if (!fs::is_directory(st)) {
            // A FIFO, socket or device would block or never end: refused.
            if (!fs::is_regular_file(st)) {
                const char* kind = fs::is_fifo(st) ? "a FIFO (named pipe)" : fs::is_socket(st) ? "a socket"
                                   : fs::is_character_file(st) || fs::is_block_file(st) ? "a device" : "a special file";
                throw InputError("cannot import " + p.string() + ": it is " + kind
                                 + ", not a regular file; save the text to a file first");
            }
            files.push_back({p, false, std::nullopt});
            continue;
        }
        auto found = walk(p, options, p);
        if (found.empty())
            throw InputError("folder " + p.string() + " holds no files that match the globs");
        for (auto& f : found)
            files.push_back({std::move(f), true, std::nullopt});
    }
    if (files.empty())
        throw InputError("no files to import");
    // A file reached twice (a symlink to another, a folder given twice) is
    // read once.
    std::set<fs::path> seen;
    std::vector<SourceFile> unique;
    for (auto& f : files) {
        std::error_code ec;
        const auto canonical = fs::weakly_canonical(f.path, ec);
        if (seen.insert(ec ? f.path : canonical).second)
            unique.push_back(std::move(f));
    }
    return unique;
}

inline TextFormat resolveFormat(TextFormat format, const fs::path& file)
{
    if (format == TextFormat::Folders)
        return TextFormat::Text;
    if (format != TextFormat::Auto)
        return format;
    auto ext = file.extension().string();
    if (ext == ".gz")
        ext = file.stem().extension().string();
    if (ext == ".jsonl" || ext == ".ndjson")
        return TextFormat::Jsonl;
    if (ext == ".csv")
        return TextFormat::Csv;
    if (ext == ".tsv")
        return TextFormat::Tsv;
    return TextFormat::Blocks;
}


inline std::string sniff(const fs::path& file)
{
    auto s = ByteStream::open(file);
    std::string head;
    head.reserve(65536);
    for (int c; head.size() < 65536 && (c = s->get()) != -1;)
        head.push_back(static_cast<char>(c));
    return head;
}

} // namespace wb::detail
