package charter.bench;

import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.EntityRefSpec;
import charter.compiler.catalog.EventTypeSpec;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.event.EventFileWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Deterministic generator of the acme company's events: pull requests opened, reviewed, merged,
 * pushed to main and deployed on Vercel; Sentry issues on the deployed releases; Linear issues
 * created, assigned and closed. Events are produced lazily in time order (a small priority queue
 * of in-flight stories), so millions can be streamed without holding them or writing JSON.
 *
 * <p>{@link #acme()} is the committed recording {@code program-examples/acme/events.jsonl}: 15 days
 * from Monday 2026-03-02T08:00Z with scripted incidents (see {@link #ACME_INCIDENTS}).
 * {@link #generate(long, Instant, int)} is background activity only, for benchmarks.
 */
public final class AcmeEventGenerator {

    public static final Instant ACME_START = Instant.parse("2026-03-02T08:00:00Z");
    public static final Duration ACME_SPAN = Duration.ofDays(15);
    public static final long ACME_SEED = 20260302L;
    /** The scripted incidents of the recording, for the Program's scenarios and tests. */
    public static final List<String> ACME_INCIDENTS = List.of(
            "2026-03-05T11:20Z force-push to main of acme/infra by bob-k",
            "2026-03-06T16:3xZ Friday: production deploy of Vercel project api fails (carolw), reverted about 17:05",
            "2026-03-09T10:00Z large PR acme/api (912+140 lines) by bob-k",
            "2026-03-10T14:05Z fatal Sentry issue on api, unassigned until 14:25 (grace)",
            "2026-03-11T15:10Z-15:55Z three production deploy errors of Vercel project web within an hour",
            "2026-03-12T10:35Z PR acme/web by frank-o merged about 15 minutes later without any review");

    private static final long MIN = 60;
    private static final long HOUR = 3600;
    private static final long DAY = 86400;

    private final Catalog catalog;

    public AcmeEventGenerator() {
        this(Catalog.standard());
    }

    public AcmeEventGenerator(Catalog catalog) {
        this.catalog = catalog;
    }

    // ---- public API

    /**
     * Background activity from {@code start}, {@code count} events, time-ordered, unbounded in time
     * (about 150 events per working day). Includes occasional failures (preview and production
     * deploy errors, Sentry issues) but none of the scripted incidents.
     */
    public Stream<CanonicalEvent> generate(long seed, Instant start, int count) {
        Sim sim = new Sim(seed, start.getEpochSecond(), Long.MAX_VALUE, 20 * MIN, 0.03, false);
        return stream(sim).limit(count);
    }

    /** The acme recording: 15 days from {@link #ACME_START}, with the scripted incidents. */
    public Stream<CanonicalEvent> acme() {
        return recording(ACME_SEED, ACME_START, ACME_SPAN);
    }

    public Stream<CanonicalEvent> recording(long seed, Instant start, Duration span) {
        Sim sim = new Sim(seed, start.getEpochSecond(), start.plus(span).getEpochSecond(), 340 * MIN, 0.0, true);
        return stream(sim);
    }

    /** Writes events as JSON lines; returns how many. */
    public static int write(Stream<CanonicalEvent> events, Writer out) {
        int[] n = {0};
        try (EventFileWriter w = new EventFileWriter(out)) {
            events.forEachOrdered(e -> {
                w.write(e);
                n[0]++;
            });
        }
        return n[0];
    }

    /** Writes the acme recording to the path given (default program-examples/acme/events.jsonl). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "program-examples/acme/events.jsonl");
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        int n;
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            n = write(new AcmeEventGenerator().acme(), w);
        }
        System.out.println("wrote " + n + " events to " + out);
    }

    private static Stream<CanonicalEvent> stream(Sim sim) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(sim,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    // ---- the company

    private record Person(String id, String github, String vercel, String email, String team) {
        String linear() {
            return email;
        }

        String sentry() {
            return email;
        }
    }

    private static Person person(String id, String github, String team) {
        return new Person(id, github, id, id + "@acme.dev", team);
    }

    private static final Person ALICE = person("alice", "alice-chen", "platform");
    private static final Person BOB = person("bob", "bob-k", "platform");
    private static final Person CAROL = person("carol", "carolw", "platform");
    private static final Person DAVE = person("dave", "dave-r", "product");
    private static final Person ERIN = person("erin", "erin-s", "product");
    private static final Person FRANK = person("frank", "frank-o", "product");
    private static final Person GRACE = person("grace", "grace-h", "platform");
    private static final Person HEIDI = person("heidi", "heidi-m", "support");

    private static final List<Person> PLATFORM = List.of(ALICE, BOB, CAROL, GRACE);
    private static final List<Person> PRODUCT = List.of(DAVE, ERIN, FRANK);

    /** A repository, its team, its Vercel projects, Sentry project and Linear team. */
    private record Repo(String name, List<Person> team, List<String> vercelProjects, String sentryProject,
            String linearTeam, String[] titles, String[] areas) {
    }

    private static final Repo API = new Repo("acme/api", PLATFORM, List.of("api"), "api", "ENG",
            new String[] {"Add idempotency keys to payment webhooks", "Retry Stripe refunds with backoff",
                "Cache plan limits per workspace", "Paginate the invoices endpoint", "Fix N+1 query in /v1/teams",
                "Rotate signing keys without downtime", "Validate currency on ledger entries",
                "Rate-limit the public API per token", "Move email sending to the job queue",
                "Log request ids in payment errors", "Upgrade Postgres driver", "Add audit log for role changes"},
            new String[] {"payments", "ledger", "billing", "auth", "api", "jobs"});
    private static final Repo INFRA = new Repo("acme/infra", PLATFORM, List.of(), "api", "ENG",
            new String[] {"Bump Terraform AWS provider", "Add read replica for reporting",
                "Tighten security group for Redis", "Alert on queue depth", "Pin base image digests",
                "Enable PITR on the payments database"},
            new String[] {"terraform", "k8s", "alerts"});
    private static final Repo WEB = new Repo("acme/web", PRODUCT, List.of("web", "web", "web", "docs"), "web", "WEB",
            new String[] {"Redesign the pricing page", "Fix checkout totals rounding", "Add dark mode to settings",
                "Lazy-load the dashboard charts", "Show invoice PDFs inline", "Fix Safari date picker",
                "Onboarding checklist for new workspaces", "Document the webhooks API", "Improve empty states",
                "Keyboard shortcuts for the command bar", "Localise currency formatting", "Fix flaky login redirect"},
            new String[] {"checkout", "dashboard", "settings", "onboarding", "docs"});
    private static final List<Repo> REPOS = List.of(API, API, WEB, WEB, INFRA);

    private static final String[] LINEAR_TITLES = {"Investigate slow dashboard load", "Customer cannot download invoice",
        "Spike: usage-based billing", "Flaky test in payments suite", "Clean up feature flags", "Export to CSV drops rows",
        "SSO login loops on Safari", "Update status page copy", "Webhook retries too aggressive",
        "Improve error message for expired cards", "Add plan limits to admin", "Broken link in docs sidebar"};
    private static final String[] SUPPORT_TITLES = {"Customer reports double charge", "Invoice shows wrong VAT",
        "Cannot invite teammates", "Password reset email not received", "Dashboard blank for EU workspace",
        "API key revoked unexpectedly"};
    private static final String[] ERROR_TITLES = {"TypeError: Cannot read properties of undefined (reading 'amount')",
        "PaymentIntentError: card_declined not handled", "TimeoutError: upstream request timed out after 30000ms",
        "ReferenceError: formatCurrency is not defined", "IntegrityError: duplicate key value violates unique constraint",
        "RangeError: Invalid time value"};
    private static final String[] CULPRITS = {"payments.webhooks.handle", "billing.invoice.render", "api.v1.teams.list",
        "checkout/Total.tsx in computeTotal", "dashboard/Chart.tsx in render", "jobs.email.send"};

    // ---- simulation

    private record Pending(long time, long seq, CanonicalEvent event) {
    }

    private final class Sim implements Iterator<CanonicalEvent> {
        final Random rnd;
        final long start;
        final long end;
        final long meanGap;
        final double prodErrorRate;
        final PriorityQueue<Pending> queue = new PriorityQueue<>(
                (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
        final List<long[]> scripted = new ArrayList<>(); // {time, index}
        long seq;
        long nextStory;
        int scriptedNext;
        long nextWeekly;

        final Map<String, Integer> prNumbers = new HashMap<>(Map.of("acme/api", 412, "acme/web", 988, "acme/infra", 57));
        final Map<String, Integer> issueNumbers = new HashMap<>(Map.of("ENG", 240, "WEB", 515, "SUP", 88));
        final Map<String, String> mainHead = new HashMap<>();
        final Map<String, String> prodSha = new HashMap<>();
        final Map<String, List<String>> openIssues = new HashMap<>();
        final Map<String, Integer> releases = new HashMap<>(Map.of("acme/api", 41, "acme/web", 27));
        long sentryIssueId = 4504023901L;
        long githubId = 1_824_000_000L;
        int cycleNumber = 18;

        Sim(long seed, long start, long end, long meanGap, double prodErrorRate, boolean withIncidents) {
            this.rnd = new Random(seed);
            this.start = start;
            this.end = end;
            this.meanGap = meanGap;
            this.prodErrorRate = prodErrorRate;
            for (Repo r : List.of(API, WEB, INFRA)) {
                mainHead.put(r.name, sha());
            }
            prodSha.put("api", mainHead.get("acme/api"));
            prodSha.put("web", mainHead.get("acme/web"));
            prodSha.put("docs", mainHead.get("acme/web"));
            this.nextStory = workingTime(start + 10 * MIN);
            this.nextWeekly = start;
            if (withIncidents) {
                String[] at = {"2026-03-05T11:20:00Z", "2026-03-06T16:02:00Z", "2026-03-09T10:00:00Z",
                    "2026-03-10T14:05:00Z", "2026-03-11T14:40:00Z", "2026-03-12T10:35:00Z"};
                for (int i = 0; i < at.length; i++) {
                    long t = Instant.parse(at[i]).getEpochSecond();
                    if (t >= start && t < end) {
                        scripted.add(new long[] {t, i});
                    }
                }
            }
        }

        @Override
        public boolean hasNext() {
            fill();
            return !queue.isEmpty();
        }

        @Override
        public CanonicalEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return queue.poll().event;
        }

        /** Spawns stories until the earliest queued event precedes every story still to start. */
        private void fill() {
            while (true) {
                long nextScripted = scriptedNext < scripted.size() ? scripted.get(scriptedNext)[0] : Long.MAX_VALUE;
                long storyLimit = end == Long.MAX_VALUE ? Long.MAX_VALUE : end - DAY / 2;
                long nextBackground = nextStory < storyLimit ? nextStory : Long.MAX_VALUE;
                long nextW = nextWeekly < storyLimit ? nextWeekly : Long.MAX_VALUE;
                long spawnAt = Math.min(nextScripted, Math.min(nextBackground, nextW));
                // drop events past the end of a bounded recording
                while (!queue.isEmpty() && queue.peek().time >= end) {
                    queue.poll();
                }
                if (spawnAt == Long.MAX_VALUE || (!queue.isEmpty() && queue.peek().time < spawnAt)) {
                    if (spawnAt == Long.MAX_VALUE) {
                        while (!queue.isEmpty() && queue.peek().time >= end) {
                            queue.poll();
                        }
                    }
                    return;
                }
                if (spawnAt == nextScripted) {
                    incident((int) scripted.get(scriptedNext)[1], nextScripted);
                    scriptedNext++;
                } else if (spawnAt == nextW) {
                    weekly(nextWeekly);
                    nextWeekly += DAY;
                } else {
                    backgroundStory(nextStory);
                    long gap = (long) (-Math.log(1 - rnd.nextDouble()) * meanGap);
                    nextStory = workingTime(nextStory + Math.max(MIN, gap));
                }
            }
        }

        // ---- stories

        private void backgroundStory(long t) {
            double p = rnd.nextDouble();
            if (p < 0.50) {
                Repo repo = REPOS.get(rnd.nextInt(REPOS.size()));
                Person author = pick(repo.team);
                int size = 5 + (int) Math.abs(rnd.nextGaussian() * 150);
                PrPlan plan = new PrPlan(repo, author, t, pickTitle(repo), Math.min(size, 640),
                        Math.min(size / 3 + rnd.nextInt(40), 150), true, rnd.nextDouble() < prodErrorRate, false);
                pullRequest(plan);
            } else if (p < 0.80) {
                boolean eng = rnd.nextBoolean();
                linearStory(t, eng ? "ENG" : "WEB", eng ? PLATFORM : PRODUCT, LINEAR_TITLES[rnd.nextInt(LINEAR_TITLES.length)]);
            } else if (p < 0.90) {
                supportStory(t);
            } else if (p < 0.96) {
                Repo repo = rnd.nextBoolean() ? API : WEB;
                sentryStory(t, repo, prodSha.get(repo.sentryProject), rnd.nextDouble() < 0.7 ? "error" : "warning",
                        pick(repo.team), 10 * MIN + rnd.nextInt((int) (50 * MIN)));
            } else {
                metricAlert(t);
            }
        }

        /** Weekly rhythm: Monday cycle (every 2nd week), Thursday releases, Friday project update. */
        private void weekly(long day) {
            long d = Math.floorDiv(day, DAY) * DAY;
            int dow = dayOfWeek(d);
            if (dow == 0 && ((Math.floorDiv(d, DAY) / 7) % 2 == 0)) {
                long t = d + 8 * HOUR + 5 * MIN;
                for (String team : List.of("ENG", "WEB")) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("cycle_id", uuid());
                    c.put("team", team);
                    c.put("number", (double) cycleNumber);
                    c.put("name", "Cycle " + cycleNumber);
                    c.put("starts_at", Instant.ofEpochSecond(d).toString());
                    c.put("ends_at", Instant.ofEpochSecond(d + 14 * DAY).toString());
                    c.put("progress", 0.0);
                    emit(t, "linear.cycle.created", c);
                }
                cycleNumber++;
            } else if (dow == 3) {
                for (Repo r : List.of(API, WEB)) {
                    long t = d + 13 * HOUR + rnd.nextInt((int) HOUR);
                    int n = releases.merge(r.name, 1, Integer::sum);
                    Person author = r == API ? ALICE : DAVE;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("repo", r.name);
                    m.put("tag", "v1." + n + ".0");
                    m.put("name", "v1." + n + ".0");
                    m.put("author", author.github);
                    m.put("target", "main");
                    m.put("prerelease", false);
                    m.put("draft", false);
                    m.put("url", "https://github.com/" + r.name + "/releases/tag/v1." + n + ".0");
                    emit(t, "github.release.published", m);
                }
            } else if (dow == 4) {
                long t = d + 16 * HOUR + rnd.nextInt((int) HOUR);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("update_id", uuid());
                m.put("project", "Payments v2");
                m.put("health", rnd.nextDouble() < 0.7 ? "onTrack" : "atRisk");
                m.put("body", "Ledger migration progressing; next: dual writes in staging.");
                m.put("author", ALICE.linear());
                m.put("url", "https://linear.app/acme/project/payments-v2/updates");
                emit(t, "linear.project_update.created", m);
            }
        }

        private record PrPlan(Repo repo, Person author, long t0, String title, int additions, int deletions,
                boolean reviewed, boolean prodError, boolean quick) {
        }

        /** The story of one pull request; returns the merge time (or -1 if closed unmerged). */
        private long pullRequest(PrPlan plan) {
            Repo repo = plan.repo;
            Person author = plan.author;
            int number = prNumbers.merge(repo.name, 1, Integer::sum);
            String branch = author.id + "/" + slug(plan.title, 32);
            String head = sha();
            List<String> linked = new ArrayList<>();
            List<String> open = openIssues.getOrDefault(repo.linearTeam, List.of());
            if (!open.isEmpty() && rnd.nextDouble() < 0.5) {
                linked.add(open.get(rnd.nextInt(open.size())));
            }
            Person reviewer = other(repo.team, author);
            long t = plan.t0;

            Map<String, Object> push = new LinkedHashMap<>();
            push.put("repo", repo.name);
            push.put("branch", branch);
            push.put("ref", "refs/heads/" + branch);
            push.put("sha", head);
            push.put("before", "0000000000000000000000000000000000000000");
            push.put("pusher", author.github);
            push.put("forced", false);
            push.put("created", true);
            push.put("deleted", false);
            push.put("commit_count", (double) (1 + rnd.nextInt(4)));
            push.put("message", plan.title);
            push.put("author", author.github);
            push.put("url", "https://github.com/" + repo.name + "/commit/" + head.substring(0, 12));
            emit(t, "github.push", push);

            t += MIN + rnd.nextInt(300);
            Map<String, Object> pr = new LinkedHashMap<>();
            pr.put("repo", repo.name);
            pr.put("number", (double) number);
            pr.put("title", plan.title);
            pr.put("author", author.github);
            pr.put("actor", author.github);
            pr.put("state", "open");
            pr.put("base_branch", "main");
            pr.put("head_branch", branch);
            pr.put("head_sha", head);
            pr.put("draft", false);
            pr.put("merged", false);
            pr.put("additions", (double) plan.additions);
            pr.put("deletions", (double) plan.deletions);
            pr.put("changed_files", (double) Math.max(1, (plan.additions + plan.deletions) / 25));
            pr.put("commits", (double) (1 + rnd.nextInt(4)));
            pr.put("review_count", 0.0);
            pr.put("labels", plan.additions + plan.deletions > 800 ? List.of("large") : List.of());
            pr.put("requested_reviewers", plan.reviewed ? List.of(reviewer.github) : List.of());
            pr.put("linked_issues", List.copyOf(linked));
            pr.put("url", "https://github.com/" + repo.name + "/pull/" + number);
            emit(t, "github.pull_request.opened", pr);

            String project = repo.vercelProjects.isEmpty() ? null : repo.vercelProjects.get(rnd.nextInt(repo.vercelProjects.size()));
            if (project != null) {
                long d = t + 20 + rnd.nextInt(40);
                boolean previewFails = rnd.nextDouble() < 0.06;
                deployment(d, project, "preview", branch, head, author, repo, previewFails);
            }
            long c = t + 4 * MIN + rnd.nextInt((int) (5 * MIN));
            boolean checkFails = rnd.nextDouble() < 0.1 && !plan.quick;
            checkSuite(c, repo, head, branch, checkFails ? "failure" : "success", number);
            t = c;
            if (checkFails) {
                t += 30 * MIN + rnd.nextInt((int) HOUR);
                head = sha();
                pr.put("head_sha", head);
                pr.put("commits", (double) pr.get("commits") + 1);
                pr.put("actor", author.github);
                emit(t, "github.pull_request.synchronize", new LinkedHashMap<>(pr));
                c = t + 4 * MIN + rnd.nextInt((int) (4 * MIN));
                checkSuite(c, repo, head, branch, "success", number);
                if (project != null) {
                    deployment(t + 30, project, "preview", branch, head, author, repo, false);
                }
                t = c;
            }
            int reviews = 0;
            if (plan.reviewed) {
                t = plan.quick ? t + 10 * MIN + rnd.nextInt(240) : workingTime(t + 20 * MIN + rnd.nextInt((int) (4 * HOUR)));
                String state = plan.quick || rnd.nextDouble() < 0.8 ? "approved" : "changes_requested";
                review(t, repo, number, plan.title, author, reviewer, state, head);
                reviews++;
                if (state.equals("changes_requested")) {
                    t += 40 * MIN + rnd.nextInt((int) (2 * HOUR));
                    head = sha();
                    pr.put("head_sha", head);
                    pr.put("commits", (double) pr.get("commits") + 1);
                    emit(t, "github.pull_request.synchronize", new LinkedHashMap<>(pr));
                    t = workingTime(t + 15 * MIN + rnd.nextInt((int) HOUR));
                    review(t, repo, number, plan.title, author, reviewer, "approved", head);
                    reviews++;
                }
                if (plan.additions + plan.deletions > 800) {
                    Person second = other(repo.team, author, reviewer);
                    t += 30 * MIN + rnd.nextInt((int) HOUR);
                    review(t, repo, number, plan.title, author, second, "approved", head);
                    reviews++;
                }
            }
            t += plan.quick ? 3 * MIN + rnd.nextInt(120) : 5 * MIN + rnd.nextInt((int) (50 * MIN));
            pr.put("review_count", (double) reviews);
            pr.put("state", "closed");
            if (!plan.quick && plan.reviewed && rnd.nextDouble() < 0.06) {
                pr.put("actor", author.github);
                emit(t, "github.pull_request.closed", pr);
                return -1;
            }
            String merge = sha();
            pr.put("merged", true);
            pr.put("merged_by", author.github);
            pr.put("merge_sha", merge);
            pr.put("actor", author.github);
            emit(t, "github.pull_request.closed", pr);
            long merged = t;

            String before = mainHead.put(repo.name, merge);
            Map<String, Object> main = new LinkedHashMap<>();
            main.put("repo", repo.name);
            main.put("branch", "main");
            main.put("ref", "refs/heads/main");
            main.put("sha", merge);
            main.put("before", before);
            main.put("pusher", author.github);
            main.put("forced", false);
            main.put("created", false);
            main.put("deleted", false);
            main.put("commit_count", 1.0);
            main.put("message", plan.title + " (#" + number + ")");
            main.put("author", author.github);
            main.put("url", "https://github.com/" + repo.name + "/compare/" + before.substring(0, 12) + "..." + merge.substring(0, 12));
            emit(t + 2, "github.push", main);

            Map<String, Object> wf = new LinkedHashMap<>();
            wf.put("repo", repo.name);
            wf.put("workflow", "CI");
            String runId = Long.toString(githubId++);
            wf.put("run_id", runId);
            wf.put("run_number", (double) (githubId % 5000));
            wf.put("status", "completed");
            wf.put("conclusion", "success");
            wf.put("head_sha", merge);
            wf.put("head_branch", "main");
            wf.put("trigger", "push");
            wf.put("actor", author.github);
            wf.put("url", "https://github.com/" + repo.name + "/actions/runs/" + runId);
            emit(t + 6 * MIN + rnd.nextInt((int) (6 * MIN)), "github.workflow_run.completed", wf);

            if (project != null) {
                long ready = deployment(t + 10, project, "production", "main", merge, author, repo, plan.prodError);
                if (!plan.prodError) {
                    prodSha.put(project, merge);
                    if (rnd.nextDouble() < 0.12 && !project.equals("docs")) {
                        String level = rnd.nextDouble() < 0.8 ? "error" : "warning";
                        sentryStory(ready + 10 * MIN + rnd.nextInt((int) (3 * HOUR)), repo, merge, level,
                                pick(repo.team), 5 * MIN + rnd.nextInt((int) (40 * MIN)));
                    }
                }
            }
            return merged;
        }

        private void review(long t, Repo repo, int number, String title, Person author, Person reviewer, String state, String head) {
            Map<String, Object> m = new LinkedHashMap<>();
            String id = Long.toString(githubId++);
            m.put("repo", repo.name);
            m.put("number", (double) number);
            m.put("pr_title", title);
            m.put("pr_author", author.github);
            m.put("reviewer", reviewer.github);
            m.put("state", state);
            m.put("review_id", id);
            m.put("body", state.equals("approved") ? "LGTM" : "A couple of comments inline.");
            m.put("commit_sha", head);
            m.put("url", "https://github.com/" + repo.name + "/pull/" + number + "#pullrequestreview-" + id);
            emit(t, "github.pull_request_review.submitted", m);
        }

        private void checkSuite(long t, Repo repo, String head, String branch, String conclusion, int pr) {
            Map<String, Object> m = new LinkedHashMap<>();
            String id = Long.toString(githubId++);
            m.put("repo", repo.name);
            m.put("status", "completed");
            m.put("conclusion", conclusion);
            m.put("head_sha", head);
            m.put("head_branch", branch);
            m.put("app", "GitHub Actions");
            m.put("pull_requests", List.of(Integer.toString(pr)));
            m.put("url", "https://github.com/" + repo.name + "/commit/" + head + "/checks");
            m.put("check_suite_id", id);
            emit(t, "github.check_suite.completed", m);
        }

        /** A Vercel deployment: created, then succeeded+ready or error. Returns the final event's time. */
        private long deployment(long t, String project, String target, String branch, String sha, Person creator,
                Repo repo, boolean fails) {
            String id = "dpl_" + base62(24);
            String host = project + "-" + base36(9) + "-acme.vercel.app";
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deployment_id", id);
            m.put("project", project);
            m.put("project_id", "prj_" + projectId(project));
            m.put("target", target);
            m.put("url", "https://" + host);
            m.put("inspector_url", "https://vercel.com/acme/" + project + "/" + id.substring(4));
            m.put("branch", branch);
            m.put("sha", sha);
            m.put("repo", repo.name);
            m.put("commit_author", creator.github);
            m.put("creator", creator.vercel);
            m.put("region", "iad1");
            emit(t, "vercel.deployment.created", new LinkedHashMap<>(m));
            long done = t + 90 + rnd.nextInt(200);
            if (fails) {
                m.put("error_message", rnd.nextBoolean()
                        ? "Error: Command \"npm run build\" exited with 1"
                        : "Error: The Serverless Function \"api/index\" is 52.3mb which exceeds the maximum size limit of 50mb");
                emit(done, "vercel.deployment.error", m);
                return done;
            }
            emit(done, "vercel.deployment.succeeded", new LinkedHashMap<>(m));
            emit(done + 3 + rnd.nextInt(20), "vercel.deployment.ready", m);
            return done + 25;
        }

        /** A Sentry issue on a release, assigned after {@code assignDelay}, tracked in Linear, resolved. */
        private void sentryStory(long t, Repo repo, String sha, String level, Person assignee, long assignDelay) {
            Map<String, Object> m = sentryIssue(repo, sha, level, ERROR_TITLES[rnd.nextInt(ERROR_TITLES.length)],
                    CULPRITS[rnd.nextInt(CULPRITS.length)], t);
            emit(t, "sentry.issue.created", new LinkedHashMap<>(m));
            if (!level.equals("warning") && rnd.nextBoolean()) {
                sentryAlert(t + 30, m);
            }
            long a = t + assignDelay;
            m.put("assignee", assignee.sentry());
            m.put("actor", pick(repo.team).sentry());
            m.put("count", (double) (3 + rnd.nextInt(40)));
            emit(a, "sentry.issue.assigned", new LinkedHashMap<>(m));
            String key = null;
            if (!level.equals("warning") || rnd.nextBoolean()) {
                key = linearIssue(a + 3 * MIN, repo.linearTeam, "Sentry: " + m.get("title"), 2, assignee, assignee,
                        List.of("bug", "sentry"), "Triage", "triage");
                Map<String, Object> att = new LinkedHashMap<>();
                att.put("attachment_id", uuid());
                att.put("issue_key", key);
                att.put("title", (String) m.get("short_id"));
                att.put("subtitle", (String) m.get("title"));
                att.put("url", (String) m.get("url"));
                att.put("source_type", "sentry");
                att.put("creator", assignee.linear());
                emit(a + 3 * MIN + 5, "linear.attachment.created", att);
            }
            long r = workingTime(a + 2 * HOUR + rnd.nextInt((int) (20 * HOUR)));
            m.put("status", "resolved");
            m.put("actor", assignee.sentry());
            m.put("count", (double) m.get("count") + rnd.nextInt(20));
            emit(r, "sentry.issue.resolved", m);
            if (key != null) {
                closeLinear(r + 2 * MIN, key, assignee);
            }
        }

        private Map<String, Object> sentryIssue(Repo repo, String sha, String level, String title, String culprit, long t) {
            long id = sentryIssueId += 1 + rnd.nextInt(500);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("issue_id", Long.toString(id));
            m.put("short_id", repo.sentryProject.toUpperCase() + "-" + Long.toString(id % 4000, 36).toUpperCase());
            m.put("project", repo.sentryProject);
            m.put("level", level);
            m.put("title", title);
            m.put("culprit", culprit);
            m.put("status", "unresolved");
            m.put("substatus", "new");
            m.put("actor", "sentry");
            m.put("release", sha);
            m.put("sha", sha);
            m.put("environment", "production");
            m.put("platform", repo == WEB ? "javascript" : "node");
            m.put("count", 1.0);
            m.put("user_count", 1.0);
            m.put("first_seen", Instant.ofEpochSecond(t).toString());
            m.put("url", "https://acme.sentry.io/issues/" + id + "/");
            return m;
        }

        private void sentryAlert(long t, Map<String, Object> issue) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alert_rule", "New issue in production");
            m.put("event_id", hex(32));
            m.put("issue_id", issue.get("issue_id"));
            m.put("project", issue.get("project"));
            m.put("level", issue.get("level"));
            m.put("title", issue.get("title"));
            m.put("culprit", issue.get("culprit"));
            m.put("release", issue.get("release"));
            m.put("environment", "production");
            m.put("url", issue.get("url") + "events/" + m.get("event_id") + "/");
            emit(t, "sentry.event_alert.triggered", m);
        }

        private void metricAlert(long t) {
            Map<String, Object> m = new LinkedHashMap<>();
            String id = Integer.toString(30000 + rnd.nextInt(9000));
            m.put("alert_id", id);
            m.put("alert_rule", "p95 latency > 1s");
            m.put("project", "api");
            m.put("title", "p95 latency > 1s on api");
            m.put("status", "warning");
            m.put("metric", "p95(transaction.duration)");
            m.put("threshold", 1000.0);
            m.put("value", 1000.0 + rnd.nextInt(600));
            m.put("url", "https://acme.sentry.io/alerts/rules/details/" + id + "/");
            emit(t, "sentry.metric_alert.warning", new LinkedHashMap<>(m));
            m.put("status", "resolved");
            m.put("value", 600.0 + rnd.nextInt(300));
            emit(t + 20 * MIN + rnd.nextInt((int) HOUR), "sentry.metric_alert.resolved", m);
        }

        // ---- Linear

        private final Map<String, Map<String, Object>> linear = new HashMap<>();

        private void linearStory(long t, String team, List<Person> members, String title) {
            Person creator = pick(members);
            String key = linearIssue(t, team, title, 1 + rnd.nextInt(4), creator, null, List.of(), "Todo", "unstarted");
            Person assignee = pick(members);
            long a = workingTime(t + 20 * MIN + rnd.nextInt((int) (6 * HOUR)));
            updateLinear(a, key, Map.of("assignee", assignee.linear()), creator);
            if (rnd.nextDouble() < 0.4) {
                linearComment(a + 10 * MIN + rnd.nextInt((int) HOUR), key, pick(members), "I can take a look at this today.");
            }
            long s = workingTime(a + HOUR + rnd.nextInt((int) (20 * HOUR)));
            updateLinear(s, key, Map.of("state", "In Progress", "state_type", "started"), assignee);
            if (rnd.nextDouble() < 0.8) {
                closeLinear(workingTime(s + 2 * HOUR + rnd.nextInt((int) (30 * HOUR))), key, assignee);
            }
        }

        private void supportStory(long t) {
            String title = SUPPORT_TITLES[rnd.nextInt(SUPPORT_TITLES.length)];
            String sup = linearIssue(t, "SUP", title, 2 + rnd.nextInt(2), HEIDI, HEIDI, List.of("customer"), "Todo", "unstarted");
            boolean eng = rnd.nextBoolean();
            List<Person> members = eng ? PLATFORM : PRODUCT;
            long e = t + 30 * MIN + rnd.nextInt((int) (2 * HOUR));
            linearComment(e, sup, HEIDI, "Escalating to " + (eng ? "ENG" : "WEB") + ", customer is blocked.");
            Person assignee = pick(members);
            String key = linearIssue(e + MIN, eng ? "ENG" : "WEB", title + " (from " + sup + ")", 2, HEIDI, assignee,
                    List.of("bug", "customer"), "Todo", "unstarted");
            long s = workingTime(e + HOUR + rnd.nextInt((int) (8 * HOUR)));
            updateLinear(s, key, Map.of("state", "In Progress", "state_type", "started"), assignee);
            long d = workingTime(s + 2 * HOUR + rnd.nextInt((int) (24 * HOUR)));
            closeLinear(d, key, assignee);
            linearComment(d + 20 * MIN, sup, HEIDI, "Fixed by " + key + ", told the customer.");
            closeLinear(d + 25 * MIN, sup, HEIDI);
        }

        private String linearIssue(long t, String team, String title, int priority, Person creator, Person assignee,
                List<String> labels, String state, String stateType) {
            int n = issueNumbers.merge(team, 1, Integer::sum);
            String key = team + "-" + n;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("issue_id", uuid());
            m.put("key", key);
            m.put("number", (double) n);
            m.put("team", team);
            m.put("title", title);
            m.put("state", state);
            m.put("state_type", stateType);
            m.put("priority", (double) priority);
            m.put("priority_label", PRIORITY[priority]);
            if (assignee != null) {
                m.put("assignee", assignee.linear());
            }
            m.put("creator", creator.linear());
            m.put("actor", creator.linear());
            m.put("labels", labels);
            if (team.equals("ENG") && title.contains("ayment")) {
                m.put("project", "Payments v2");
            }
            m.put("url", "https://linear.app/acme/issue/" + key + "/" + slug(title, 40));
            linear.put(key, m);
            openIssues.computeIfAbsent(team, k -> new ArrayList<>()).add(key);
            emit(t, "linear.issue.created", new LinkedHashMap<>(m));
            return key;
        }

        private void updateLinear(long t, String key, Map<String, Object> changes, Person actor) {
            Map<String, Object> m = linear.get(key);
            Map<String, Object> out = new LinkedHashMap<>(m);
            List<String> changed = new ArrayList<>();
            for (String f : List.of("assignee", "state", "priority")) {
                if (changes.containsKey(f)) {
                    Object prev = m.get(f);
                    if (prev != null) {
                        out.put("previous_" + f, prev);
                    }
                    changed.add(f);
                }
            }
            m.putAll(changes);
            out.putAll(changes);
            m.put("actor", actor.linear());
            out.put("actor", actor.linear());
            out.put("changed", List.copyOf(changed));
            emit(t, "linear.issue.updated", out);
        }

        private void closeLinear(long t, String key, Person actor) {
            updateLinear(t, key, Map.of("state", "Done", "state_type", "completed"), actor);
            List<String> open = openIssues.get(key.substring(0, key.indexOf('-')));
            if (open != null) {
                open.remove(key);
            }
        }

        private void linearComment(long t, String key, Person author, String body) {
            Map<String, Object> issue = linear.get(key);
            Map<String, Object> m = new LinkedHashMap<>();
            String id = uuid();
            m.put("comment_id", id);
            m.put("issue_key", key);
            m.put("issue_title", issue.get("title"));
            m.put("team", issue.get("team"));
            m.put("body", body);
            m.put("author", author.linear());
            m.put("url", issue.get("url") + "#comment-" + id.substring(0, 8));
            emit(t, "linear.comment.created", m);
        }

        // ---- scripted incidents

        private void incident(int index, long t) {
            switch (index) {
                case 0 -> forcePush(t);
                case 1 -> fridayFailedDeploy(t);
                case 2 -> pullRequest(new PrPlan(API, BOB, t, "Payments v2: move the ledger to event sourcing", 912, 140, true, false, false));
                case 3 -> fatalUnassigned(t);
                case 4 -> deployErrorBurst(t);
                case 5 -> pullRequest(new PrPlan(WEB, FRANK, t, "Hotfix: hide the broken promo banner", 18, 4, false, false, true));
                default -> throw new IllegalStateException("no incident " + index);
            }
        }

        private void forcePush(long t) {
            mainPush(t, INFRA, BOB, "Revert terraform state lock change", true);
        }

        /** A direct push to main (not through a pull request); returns the new head SHA. */
        private String mainPush(long t, Repo repo, Person pusher, String message, boolean forced) {
            String sha = sha();
            String before = mainHead.put(repo.name, sha);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("repo", repo.name);
            m.put("branch", "main");
            m.put("ref", "refs/heads/main");
            m.put("sha", sha);
            m.put("before", before);
            m.put("pusher", pusher.github);
            m.put("forced", forced);
            m.put("created", false);
            m.put("deleted", false);
            m.put("commit_count", 1.0);
            m.put("message", message);
            m.put("author", pusher.github);
            m.put("url", "https://github.com/" + repo.name + "/compare/" + before.substring(0, 12) + "..." + sha.substring(0, 12));
            emit(t, "github.push", m);
            return sha;
        }

        private void fridayFailedDeploy(long t) {
            PrPlan plan = new PrPlan(API, CAROL, t, "Switch invoice rendering to the new PDF service", 220, 85, true, true, true);
            // a quick PR that is reviewed immediately: merged by about 16:34, production deploy fails
            long merged = pullRequest(plan);
            long base = Math.max(merged, Instant.parse("2026-03-06T16:40:00Z").getEpochSecond());
            String key = linearIssue(base + 10 * MIN, "ENG", "Production deploy of api failed on Friday", 1, GRACE, CAROL,
                    List.of("incident", "deploy"), "In Progress", "started");
            String revert = mainPush(base + 25 * MIN, API, CAROL,
                    "Revert \"Switch invoice rendering to the new PDF service\"", false);
            long ready = deployment(base + 25 * MIN + 8, "api", "production", "main", revert, CAROL, API, false);
            prodSha.put("api", revert);
            closeLinear(ready + 10 * MIN, key, CAROL);
        }

        private void fatalUnassigned(long t) {
            Map<String, Object> m = sentryIssue(API, prodSha.get("api"), "fatal",
                    "LedgerError: balance mismatch after refund", "payments.ledger.apply_refund", t);
            emit(t, "sentry.issue.created", new LinkedHashMap<>(m));
            sentryAlert(t + 40, m);
            Map<String, Object> err = new LinkedHashMap<>();
            for (String f : List.of("issue_id", "project", "level", "title", "culprit", "release", "sha", "environment", "platform")) {
                err.put(f, m.get(f));
            }
            String eventId = hex(32);
            err.put("event_id", eventId);
            err.put("url", m.get("url") + "events/" + eventId + "/");
            emit(t + 9 * MIN, "sentry.error.created", err);
            m.put("assignee", GRACE.sentry());
            m.put("actor", GRACE.sentry());
            m.put("count", 14.0);
            m.put("user_count", 6.0);
            emit(t + 20 * MIN, "sentry.issue.assigned", new LinkedHashMap<>(m));
            String key = linearIssue(t + 23 * MIN, "ENG", "Fatal: ledger balance mismatch after refund", 1, GRACE, GRACE,
                    List.of("incident", "sentry"), "In Progress", "started");
            m.put("status", "resolved");
            m.put("count", 31.0);
            emit(t + 2 * HOUR + 5 * MIN, "sentry.issue.resolved", m);
            closeLinear(t + 2 * HOUR + 9 * MIN, key, GRACE);
        }

        private void deployErrorBurst(long t) {
            // frank merges a dependency bump to acme/web; three production deploys fail, the fourth works
            long merged = pullRequest(new PrPlan(WEB, FRANK, t, "Upgrade Next.js to 15.3", 96, 71, true, false, true));
            long[] at = {Instant.parse("2026-03-11T15:10:00Z").getEpochSecond(),
                Instant.parse("2026-03-11T15:31:00Z").getEpochSecond(),
                Instant.parse("2026-03-11T15:50:00Z").getEpochSecond()};
            for (int i = 0; i < at.length; i++) {
                long d = Math.max(at[i], merged + (i + 1) * 10 * MIN);
                Person who = i == 1 ? ERIN : FRANK;
                String sha = mainPush(d - 160, WEB, who, FIX_ATTEMPTS[i], false);
                deployment(d - 150, "web", "production", "main", sha, who, WEB, true);
            }
            long f = Instant.parse("2026-03-11T16:20:00Z").getEpochSecond();
            String fix = mainPush(f - 10, WEB, ERIN, "Pin @next/font to 15.3.1", false);
            deployment(f, "web", "production", "main", fix, ERIN, WEB, false);
            prodSha.put("web", fix);
        }

        // ---- emitting

        private void emit(long time, String type, Map<String, Object> data) {
            EventTypeSpec spec = catalog.eventType(type).orElseThrow(() -> new IllegalStateException("not in catalog: " + type));
            Set<EntityRef> refs = new LinkedHashSet<>();
            for (EntityRefSpec r : spec.entities()) {
                r.render(data::get).ifPresent(k -> refs.add(new EntityRef(r.type(), k)));
            }
            long s = seq++;
            String id = spec.source() + "-" + Long.toString(1_000_000 + s).substring(1);
            if (s >= 999_999) {
                id = spec.source() + "-" + s;
            }
            queue.add(new Pending(time, s, new CanonicalEvent(id, spec.source(), type, Instant.ofEpochSecond(time),
                    data, List.copyOf(refs), null)));
        }

        // ---- randomness and time

        private <T> T pick(List<T> list) {
            return list.get(rnd.nextInt(list.size()));
        }

        private Person other(List<Person> team, Person... not) {
            while (true) {
                Person p = pick(team);
                boolean ok = true;
                for (Person x : not) {
                    ok &= p != x;
                }
                if (ok) {
                    return p;
                }
            }
        }

        private String pickTitle(Repo repo) {
            String t = repo.titles[rnd.nextInt(repo.titles.length)];
            return rnd.nextDouble() < 0.3 ? t + " in " + repo.areas[rnd.nextInt(repo.areas.length)] : t;
        }

        private String sha() {
            return hex(40);
        }

        private String hex(int n) {
            char[] c = new char[n];
            long bits = 0;
            for (int i = 0; i < n; i++) {
                if ((i & 15) == 0) {
                    bits = rnd.nextLong();
                }
                c[i] = HEX[(int) (bits & 15)];
                bits >>>= 4;
            }
            return new String(c);
        }

        private String base62(int n) {
            char[] c = new char[n];
            for (int i = 0; i < n; i++) {
                c[i] = B62[rnd.nextInt(62)];
            }
            return new String(c);
        }

        private String base36(int n) {
            char[] c = new char[n];
            for (int i = 0; i < n; i++) {
                c[i] = B62[rnd.nextInt(36)];
            }
            return new String(c);
        }

        private String uuid() {
            String h = hex(32);
            return h.substring(0, 8) + "-" + h.substring(8, 12) + "-4" + h.substring(13, 16) + "-a" + h.substring(17, 20)
                    + "-" + h.substring(20, 32);
        }

        /** Moves a time into working hours (weekdays 08:00-18:00 UTC), keeping the minute offset. */
        private long workingTime(long t) {
            long day = Math.floorDiv(t, DAY) * DAY;
            long sec = t - day;
            if (sec >= 18 * HOUR) {
                day += DAY;
                sec = 8 * HOUR + (sec % HOUR);
            } else if (sec < 8 * HOUR) {
                sec = 8 * HOUR + (sec % HOUR);
            }
            while (dayOfWeek(day) >= 5) {
                day += DAY;
            }
            return day + sec;
        }
    }

    private static final String[] FIX_ATTEMPTS = {"Fix build: update next.config for 15.3",
        "Fix build: move images config to remotePatterns", "Fix build: drop legacy middleware matcher"};
    private static final String[] PRIORITY = {"No priority", "Urgent", "High", "Medium", "Low"};
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] B62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    /** 0 = Monday … 6 = Sunday, for an epoch second in UTC. */
    static int dayOfWeek(long epochSecond) {
        return (int) Math.floorMod(Math.floorDiv(epochSecond, DAY) + 3, 7);
    }

    private static String projectId(String project) {
        return switch (project) {
            case "api" -> "vt57HZEY7iilPaJv71LcOVLc";
            case "web" -> "Qm3xT0bW8cKp2LrN5sYdE7fA";
            default -> "Hd9sLw2QpZ4nXv6RtB1mCk8J";
        };
    }

    private static String slug(String title, int max) {
        StringBuilder sb = new StringBuilder();
        for (char ch : title.toLowerCase().toCharArray()) {
            if (Character.isLetterOrDigit(ch) && ch < 128) {
                sb.append(ch);
            } else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '-') {
                sb.append('-');
            }
            if (sb.length() >= max) {
                break;
            }
        }
        int len = sb.length();
        while (len > 0 && sb.charAt(len - 1) == '-') {
            len--;
        }
        return sb.substring(0, len);
    }
}
