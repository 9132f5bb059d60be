//! The edge of the watchlist crate: the only module that does I/O.
//!
//! * [`load_path`] / [`load_paths`]: files and directories, formats detected by content. A
//!   directory holding an OFAC CSV set (`sdn.csv` + `add.csv` + `alt.csv` +
//!   `sdn_comments.csv`, or the `cons_*` set) is read as one list; every other supported file
//!   in it is read on its own. Files ending in `.zst` are decompressed first.
//! * [`embedded`]: the default lists compiled into the binary (data/lists/ in the repo), so
//!   raqib screens on a fresh machine with no network.
//! * [`ListStore`]: the data directory holding the current lists, replaced atomically by
//!   `raqib lists update` and by the server's reload: new files are validated completely
//!   before a single pointer file is swapped by rename, so a failing file leaves the last good
//!   lists in place.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Format;
use crate::error::Error;
use crate::model::WatchList;
use crate::ofac_csv::{self, CsvRole};
use crate::summary::Summary;

const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
/// Largest decompressed list accepted (the biggest official file is about 25 MB).
const MAX_DECOMPRESSED: u64 = 1 << 30;

/// Decompresses zstd input (recognised by its magic number); other input is returned as is.
pub fn decompress<'a>(bytes: &'a [u8], origin: &str) -> Result<std::borrow::Cow<'a, [u8]>, Error> {
    if !bytes.starts_with(&ZSTD_MAGIC) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let mut out = Vec::with_capacity(bytes.len() * 8);
    let decoder = zstd::stream::read::Decoder::new(bytes).map_err(|e| zstd_err(origin, e))?;
    decoder
        .take(MAX_DECOMPRESSED)
        .read_to_end(&mut out)
        .map_err(|e| zstd_err(origin, e))?;
    Ok(std::borrow::Cow::Owned(out))
}

fn zstd_err(origin: &str, e: std::io::Error) -> Error {
    Error::Encoding {
        origin: origin.to_owned(),
        record: "file".into(),
        message: format!("bad zstd data: {e}"),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    fs::read(path).map_err(|e| Error::io(path, e))
}

/// Loads one file or directory.
pub fn load_path(path: &Path) -> Result<Vec<WatchList>, Error> {
    let meta = fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        load_dir(path)
    } else {
        let bytes = read(path)?;
        let origin = path.display().to_string();
        let data = decompress(&bytes, &origin)?;
        Ok(vec![crate::parse(&data, &origin)?])
    }
}

/// Loads every path (files and directories), in order, parsing on all cores.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<WatchList>, Error> {
    let mut jobs: Vec<Job> = Vec::new();
    for p in paths {
        let meta = fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if meta.is_dir() {
            jobs.extend(plan_dir(p)?);
        } else {
            jobs.push(Job::File(p.clone()));
        }
    }
    run_jobs(jobs)
}

enum Job {
    File(PathBuf),
    OfacSet {
        dir: PathBuf,
        consolidated: bool,
        files: Vec<(CsvRole, PathBuf)>,
    },
}

fn load_dir(dir: &Path) -> Result<Vec<WatchList>, Error> {
    run_jobs(plan_dir(dir)?)
}

/// Extensions of files that must be a list when found in a list directory; other files
/// (README, checksums) are passed over.
/// The file a stored version describes itself in (never read as a list).
const MANIFEST: &str = "manifest.json";

fn is_list_candidate(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if name == MANIFEST {
        return false;
    }
    let name = name.strip_suffix(".zst").unwrap_or(&name);
    [".xml", ".csv", ".json", ".jsonl", ".ndjson", ".ftm.json"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

fn plan_dir(dir: &Path) -> Result<Vec<Job>, Error> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    let mut jobs = Vec::new();
    let mut sets: Vec<(bool, Vec<(CsvRole, PathBuf)>)> = Vec::new();
    for p in entries {
        if p.is_dir() {
            jobs.extend(plan_dir(&p)?);
            continue;
        }
        if !is_list_candidate(&p) {
            continue;
        }
        let lower = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if lower.ends_with(".csv") || lower.ends_with(".csv.zst") {
            let bytes = read(&p)?;
            let data = decompress(&bytes, &p.display().to_string())?;
            if let Some(Format::OfacCsv(role)) = crate::detect(&data) {
                let consolidated = lower.starts_with("cons");
                match sets.iter_mut().find(|(c, _)| *c == consolidated) {
                    Some((_, files)) => files.push((role, p)),
                    None => sets.push((consolidated, vec![(role, p)])),
                }
                continue;
            }
        }
        jobs.push(Job::File(p));
    }
    for (consolidated, files) in sets {
        jobs.push(Job::OfacSet {
            dir: dir.to_path_buf(),
            consolidated,
            files,
        });
    }
    Ok(jobs)
}

fn run_job(job: &Job) -> Result<WatchList, Error> {
    match job {
        Job::File(p) => {
            let bytes = read(p)?;
            let origin = p.display().to_string();
            let data = decompress(&bytes, &origin)?;
            crate::parse(&data, &origin)
        }
        Job::OfacSet {
            dir,
            consolidated,
            files,
        } => {
            let mut loaded: Vec<(CsvRole, PathBuf, Vec<u8>)> = Vec::new();
            for (role, p) in files {
                if loaded.iter().any(|(r, _, _)| r == role) {
                    return Err(Error::invalid(
                        &dir.display().to_string(),
                        p.display().to_string(),
                        "two files of the same OFAC CSV role in one directory; keep one set per directory",
                    ));
                }
                let bytes = read(p)?;
                let data = decompress(&bytes, &p.display().to_string())?.into_owned();
                loaded.push((*role, p.clone(), data));
            }
            let get = |r: CsvRole| {
                loaded
                    .iter()
                    .find(|(x, _, _)| *x == r)
                    .map(|(_, _, d)| d.as_slice())
            };
            let origin = match loaded.iter().find(|(r, _, _)| *r == CsvRole::Primary) {
                Some((_, p, _)) => p.display().to_string(),
                None => dir.display().to_string(),
            };
            let Some(primary) = get(CsvRole::Primary) else {
                return Err(Error::invalid(
                    &dir.display().to_string(),
                    "OFAC CSV set",
                    "alias/address/comment files without their primary file (sdn.csv or cons_prim.csv)",
                ));
            };
            let set = ofac_csv::CsvSet {
                primary,
                addresses: get(CsvRole::Addresses),
                alt_names: get(CsvRole::AltNames),
                comments: get(CsvRole::Comments),
            };
            ofac_csv::parse_set(set, *consolidated, &origin)
        }
    }
}

/// Parses the jobs on up to as many threads as there are cores; the result keeps job order
/// and the first error (in job order) wins.
fn run_jobs(jobs: Vec<Job>) -> Result<Vec<WatchList>, Error> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Result<WatchList, Error>>> =
        (0..jobs.len()).map(|_| None).collect();
    let slots: Vec<std::sync::Mutex<Option<Result<WatchList, Error>>>> = (0..jobs.len())
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let r = run_job(job);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    for (i, slot) in slots.into_iter().enumerate() {
        results[i] = slot.into_inner().ok().flatten();
    }
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Some(Ok(l)) => out.push(l),
            Some(Err(e)) => return Err(e),
            None => {
                return Err(Error::invalid(
                    "loader",
                    "job",
                    "a parser thread stopped without a result",
                ));
            }
        }
    }
    Ok(out)
}

/// One list compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedList {
    /// The list it holds.
    pub source: crate::model::SourceKind,
    /// Short name: `un`, `ofac_sdn`, `ofac_consolidated`, `eu`, `uk`.
    pub name: &'static str,
    /// The publication date, for files that do not state it (the OFAC CSV set).
    pub published_hint: Option<&'static str>,
    files: &'static [(&'static str, &'static [u8])],
}

macro_rules! embed {
    ($f:literal) => {
        (
            $f,
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../data/lists/",
                $f
            )) as &[u8],
        )
    };
}

/// The default lists (see data/lists/README.md for sources and dates): the newest file of each
/// official list available to the project. OFAC's consolidated (non-SDN) list is the 2025-12
/// CSV set, which is newer than the 2024-05 consolidated XML.
pub const EMBEDDED: &[EmbeddedList] = &[
    EmbeddedList {
        source: crate::model::SourceKind::Un,
        name: "un",
        published_hint: None,
        files: &[embed!("un_consolidated_2026-02-27.xml.zst")],
    },
    EmbeddedList {
        source: crate::model::SourceKind::OfacSdn,
        name: "ofac_sdn",
        published_hint: None,
        files: &[embed!("ofac_sdn_2024-05-07.xml.zst")],
    },
    EmbeddedList {
        source: crate::model::SourceKind::OfacConsolidated,
        name: "ofac_consolidated",
        published_hint: Some("2025-12-19"),
        files: &[
            embed!("ofac_cons_2025-12/cons_prim.csv.zst"),
            embed!("ofac_cons_2025-12/cons_add.csv.zst"),
            embed!("ofac_cons_2025-12/cons_alt.csv.zst"),
            embed!("ofac_cons_2025-12/cons_comments.csv.zst"),
        ],
    },
    EmbeddedList {
        source: crate::model::SourceKind::Eu,
        name: "eu",
        published_hint: None,
        files: &[embed!("eu_fsf_2024-05-13.xml.zst")],
    },
    EmbeddedList {
        source: crate::model::SourceKind::Uk,
        name: "uk",
        published_hint: None,
        files: &[embed!("uk_ofsi_conlist_2018-04-13.csv.zst")],
    },
];

impl EmbeddedList {
    /// The compressed files (name, zstd bytes) of this list.
    pub fn files(&self) -> &'static [(&'static str, &'static [u8])] {
        self.files
    }
}

fn load_embedded(list: &EmbeddedList) -> Result<WatchList, Error> {
    let origin = format!("embedded:{}", list.name);
    let mut decoded: Vec<Vec<u8>> = Vec::with_capacity(list.files.len());
    for (name, bytes) in list.files {
        decoded.push(decompress(bytes, &format!("{origin}/{name}"))?.into_owned());
    }
    let mut wl = if decoded.len() == 1 {
        crate::parse(&decoded[0], &origin)?
    } else {
        let mut set = ofac_csv::CsvSet::default();
        for d in &decoded {
            match crate::detect(d) {
                Some(Format::OfacCsv(CsvRole::Primary)) => set.primary = d,
                Some(Format::OfacCsv(CsvRole::Addresses)) => set.addresses = Some(d),
                Some(Format::OfacCsv(CsvRole::AltNames)) => set.alt_names = Some(d),
                Some(Format::OfacCsv(CsvRole::Comments)) => set.comments = Some(d),
                _ => return Err(Error::invalid(&origin, "file", "not an OFAC CSV file")),
            }
        }
        ofac_csv::parse_set(set, list.name.contains("consolidated"), &origin)?
    };
    if wl.published.is_none() {
        wl.published = list.published_hint.map(str::to_owned);
    }
    Ok(wl)
}

/// Parses the embedded default lists (in parallel). They are checked by the test suite, so an
/// error here means a broken build, but it is still reported rather than panicking.
pub fn embedded() -> Result<Vec<WatchList>, Error> {
    let results: Vec<Result<WatchList, Error>> = std::thread::scope(|s| {
        let handles: Vec<_> = EMBEDDED
            .iter()
            .map(|l| s.spawn(move || load_embedded(l)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Error::invalid(
                        "embedded",
                        "parser",
                        "parser thread panicked",
                    ))
                })
            })
            .collect()
    });
    results.into_iter().collect()
}

/// The data directory: `$RAQIB_DATA_DIR`, else `raqib-data` in the working directory.
pub fn default_data_dir() -> PathBuf {
    std::env::var_os("RAQIB_DATA_DIR").map_or_else(|| PathBuf::from("raqib-data"), PathBuf::from)
}

/// What a stored version holds, written next to its files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub version: String,
    /// Where the files came from (a URL or a directory), as the caller said.
    pub from: String,
    /// The new files of this version.
    pub files: Vec<String>,
    /// Files carried over from the previous version (or the embedded defaults).
    #[serde(default)]
    pub kept: Vec<String>,
    pub lists: Vec<Summary>,
}

/// How an update treats the lists it does not bring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMode {
    /// The new files replace the lists of the sources they hold; other lists are kept.
    ReplaceSources,
    /// The new files are the complete new set of lists.
    ReplaceAll,
}

/// The result of a successful update.
#[derive(Debug)]
pub struct Installed {
    pub manifest: Manifest,
    /// The new current lists (new and kept).
    pub lists: Vec<WatchList>,
    /// The sources the new files replaced.
    pub replaced: Vec<crate::model::SourceKind>,
}

fn job_files(job: &Job) -> Vec<PathBuf> {
    match job {
        Job::File(p) => vec![p.clone()],
        Job::OfacSet { files, .. } => files.iter().map(|(_, p)| p.clone()).collect(),
    }
}

/// The on-disk store of the current lists:
///
/// ```text
/// <dir>/CURRENT            name of the current version (replaced by rename, atomically)
/// <dir>/versions/v000007/  the files of one version + manifest.json
/// ```
///
/// Readers follow `CURRENT`; [`ListStore::install`] writes a complete new version, validates
/// it by loading it exactly as readers will, fsyncs it, and only then swaps `CURRENT`. Old
/// versions are pruned (the last three are kept).
#[derive(Debug, Clone)]
pub struct ListStore {
    dir: PathBuf,
}

const KEEP_VERSIONS: usize = 3;

impl ListStore {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: impl Into<PathBuf>) -> Result<ListStore, Error> {
        let dir = dir.into();
        fs::create_dir_all(dir.join("versions")).map_err(|e| Error::io(&dir, e))?;
        Ok(ListStore { dir })
    }

    /// Opens the store only if it exists (a read-only caller must not create directories).
    pub fn open_existing(dir: impl Into<PathBuf>) -> Option<ListStore> {
        let dir = dir.into();
        dir.join("CURRENT").is_file().then_some(ListStore { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The current version's name, if any lists were installed.
    pub fn current_version(&self) -> Result<Option<String>, Error> {
        let p = self.dir.join("CURRENT");
        match fs::read_to_string(&p) {
            Ok(s) => {
                let v = s.trim().to_owned();
                if v.is_empty() || v.contains(['/', '\\']) || v.starts_with('.') {
                    return Err(Error::invalid(
                        &p.display().to_string(),
                        "CURRENT",
                        format!("bad version name {v:?}"),
                    ));
                }
                Ok(Some(v))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(p, e)),
        }
    }

    /// The directory of the current version.
    pub fn current_dir(&self) -> Result<Option<PathBuf>, Error> {
        Ok(self
            .current_version()?
            .map(|v| self.dir.join("versions").join(v)))
    }

    /// Loads the current lists; `None` when nothing was installed yet.
    pub fn current(&self) -> Result<Option<Vec<WatchList>>, Error> {
        match self.current_dir()? {
            Some(d) => Ok(Some(load_dir(&d)?)),
            None => Ok(None),
        }
    }

    /// The manifest of the current version.
    pub fn manifest(&self) -> Result<Option<Manifest>, Error> {
        let Some(d) = self.current_dir()? else {
            return Ok(None);
        };
        let p = d.join(MANIFEST);
        let bytes = read(&p)?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| Error::Json {
                origin: p.display().to_string(),
                record: "manifest".into(),
                message: e.to_string(),
            })
    }

    fn next_version(&self) -> Result<u64, Error> {
        let versions = self.dir.join("versions");
        let mut max = 0;
        for e in fs::read_dir(&versions)
            .map_err(|e| Error::io(&versions, e))?
            .flatten()
        {
            if let Some(n) = e
                .file_name()
                .to_str()
                .and_then(|n| n.strip_prefix('v'))
                .and_then(|n| n.parse::<u64>().ok())
            {
                max = max.max(n);
            }
        }
        Ok(max + 1)
    }

    /// Installs `files` (name, bytes) as the complete new set of current lists
    /// ([`UpdateMode::ReplaceAll`]).
    pub fn install(&self, from: &str, files: &[(String, Vec<u8>)]) -> Result<Installed, Error> {
        self.update(from, files, UpdateMode::ReplaceAll)
    }

    /// Installs new list files. Every file is parsed first, then the whole new version is
    /// loaded exactly as readers will load it; any error (naming the file, the record and the
    /// reason) leaves the current lists untouched. Lists that parse to no entities are refused
    /// too, because swapping in an empty list would silently stop screening.
    ///
    /// With [`UpdateMode::ReplaceSources`] the new files replace only the sources they hold
    /// (a new UN file replaces the UN list); the other lists of the current version (or the
    /// embedded defaults, when nothing was installed yet) are carried over into the new
    /// version, so updating one list never drops the others.
    pub fn update(
        &self,
        from: &str,
        files: &[(String, Vec<u8>)],
        mode: UpdateMode,
    ) -> Result<Installed, Error> {
        if files.is_empty() {
            return Err(Error::invalid(from, "update", "no list files"));
        }
        let versions = self.dir.join("versions");
        let staging = versions.join(format!(
            ".staging-{}-{}",
            std::process::id(),
            self.next_version()?
        ));
        let _ = fs::remove_dir_all(&staging);
        fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        let result = self.stage_and_swap(from, files, mode, &staging);
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        result
    }

    fn stage_and_swap(
        &self,
        from: &str,
        files: &[(String, Vec<u8>)],
        mode: UpdateMode,
        staging: &Path,
    ) -> Result<Installed, Error> {
        let mut names = Vec::new();
        for (name, bytes) in files {
            let safe = Path::new(name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned();
            if safe.is_empty()
                || safe.starts_with('.')
                || names.contains(&safe)
                || !is_list_candidate(Path::new(&safe))
            {
                return Err(Error::invalid(
                    from,
                    name.clone(),
                    "bad or repeated file name (list files end in .xml, .csv, .json or .jsonl, optionally .zst)",
                ));
            }
            write_synced(&staging.join(&safe), bytes)?;
            names.push(safe);
        }
        // 1. The new files alone must parse completely.
        let new_lists = run_jobs(plan_dir(staging)?)?;
        for l in &new_lists {
            if l.entities.is_empty() {
                return Err(Error::invalid(
                    &l.origin,
                    "file",
                    "the list holds no entities; refusing to replace the current lists with it",
                ));
            }
        }
        let replaced: Vec<crate::model::SourceKind> = {
            let mut v: Vec<_> = new_lists.iter().map(|l| l.source).collect();
            v.sort();
            v.dedup();
            v
        };
        // 2. Carry over the lists of other sources.
        let mut kept = Vec::new();
        if mode == UpdateMode::ReplaceSources {
            let kept_dir = staging.join("kept");
            fs::create_dir_all(&kept_dir).map_err(|e| Error::io(&kept_dir, e))?;
            match self.current_dir()? {
                Some(cur) => {
                    for job in plan_dir(&cur)? {
                        let list = run_job(&job)?;
                        if replaced.contains(&list.source) {
                            continue;
                        }
                        for p in job_files(&job) {
                            let rel = p.strip_prefix(&cur).unwrap_or(&p);
                            let target = kept_dir.join(rel.strip_prefix("kept").unwrap_or(rel));
                            if let Some(parent) = target.parent() {
                                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                            }
                            write_synced(&target, &read(&p)?)?;
                            kept.push(rel.display().to_string());
                        }
                    }
                }
                None => {
                    for l in EMBEDDED {
                        if replaced.contains(&l.source) {
                            continue;
                        }
                        let dir = kept_dir.join(l.name);
                        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
                        for (name, bytes) in l.files {
                            let base = Path::new(name)
                                .file_name()
                                .and_then(|n| n.to_str())
                                .unwrap_or(name);
                            write_synced(&dir.join(base), bytes)?;
                            kept.push(format!("embedded:{}/{base}", l.name));
                        }
                    }
                }
            }
            sync_dir(&kept_dir)?;
        }
        // 3. The whole new version must load exactly as readers will load it.
        let lists = run_jobs(plan_dir(staging)?)?;
        let versions = self.dir.join("versions");
        let mut n = self.next_version()?;
        let final_dir = loop {
            let candidate = versions.join(format!("v{n:06}"));
            match fs::rename(staging, &candidate) {
                Ok(()) => break candidate,
                Err(_) if candidate.exists() => n += 1,
                Err(e) => return Err(Error::io(&candidate, e)),
            }
        };
        let version = format!("v{n:06}");
        let mut lists = lists;
        let staging_s = staging.display().to_string();
        let final_s = final_dir.display().to_string();
        for l in &mut lists {
            l.origin = l.origin.replace(&staging_s, &final_s);
        }
        let manifest = Manifest {
            version: version.clone(),
            from: from.to_owned(),
            files: names,
            kept: kept.clone(),
            lists: lists.iter().map(WatchList::summary).collect(),
        };
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| Error::invalid(from, "manifest", e.to_string()))?;
        write_synced(&final_dir.join(MANIFEST), &json)?;
        sync_dir(&final_dir)?;
        sync_dir(&versions)?;
        // The swap: write CURRENT.tmp, fsync, rename over CURRENT, fsync the directory.
        let tmp = self.dir.join(format!("CURRENT.tmp-{}", std::process::id()));
        write_synced(&tmp, format!("{version}\n").as_bytes())?;
        fs::rename(&tmp, self.dir.join("CURRENT"))
            .map_err(|e| Error::io(self.dir.join("CURRENT"), e))?;
        sync_dir(&self.dir)?;
        self.prune(&version);
        Ok(Installed {
            manifest,
            lists,
            replaced,
        })
    }

    /// Removes old versions beyond the last few (best effort: a failure only costs disk).
    fn prune(&self, current: &str) {
        let versions = self.dir.join("versions");
        let Ok(rd) = fs::read_dir(&versions) else {
            return;
        };
        let mut names: Vec<String> = rd
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter(|n| n.starts_with('v'))
            .collect();
        names.sort();
        let excess = names.len().saturating_sub(KEEP_VERSIONS);
        for n in names.into_iter().take(excess) {
            if n != current {
                let _ = fs::remove_dir_all(versions.join(n));
            }
        }
    }

    /// Installs the list files of a directory (not recursive; hidden files skipped).
    pub fn update_from_dir(&self, src: &Path, mode: UpdateMode) -> Result<Installed, Error> {
        let files = Self::read_dir_files(src)?;
        if files.is_empty() {
            return Err(Error::invalid(
                &src.display().to_string(),
                "directory",
                "no list files (.xml, .csv, .json, .jsonl, .zst)",
            ));
        }
        self.update(&src.display().to_string(), &files, mode)
    }

    /// Reads the list files of a directory (not recursive; hidden files skipped), for
    /// [`ListStore::update`].
    pub fn read_dir_files(src: &Path) -> Result<Vec<(String, Vec<u8>)>, Error> {
        let mut files = Vec::new();
        let mut entries: Vec<PathBuf> = fs::read_dir(src)
            .map_err(|e| Error::io(src, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && is_list_candidate(p))
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        entries.sort();
        for p in entries {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned();
            files.push((name, read(&p)?));
        }
        Ok(files)
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut f = fs::File::create(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(path, e))?;
    f.sync_all().map_err(|e| Error::io(path, e))
}

fn sync_dir(dir: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        let f = fs::File::open(dir).map_err(|e| Error::io(dir, e))?;
        f.sync_all().map_err(|e| Error::io(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
