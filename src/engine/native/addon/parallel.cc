#include "parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace lethe {

namespace {

// One call's parts, shared by the threads working on it.
struct Job {
  const std::function<void(int64_t)>* body = nullptr;
  int64_t parts = 0;
  std::atomic<int64_t> next{0};
  std::atomic<int> active{0};  // workers still inside this job
};

class Pool {
 public:
  void resize(int threads) {
    std::lock_guard<std::mutex> call(callLock_);
    const int workers = std::max(threads, 1) - 1;
    {
      std::lock_guard<std::mutex> lk(m_);
      wanted_ = workers;
    }
    cv_.notify_all();
    // Threads beyond `wanted_` leave at their next wake-up; new ones are started here.
    while (int(started_) < workers) {
      const int id = started_++;
      std::thread([this, id] { loop(id); }).detach();
    }
    threads_ = workers + 1;
  }

  int threads() const { return threads_; }

  void run(int64_t parts, const std::function<void(int64_t)>& body) {
    const auto serial = [&] {
      for (int64_t p = 0; p < parts; p++) body(p);
    };
    if (inBody || threads_ == 1 || parts < 2) return serial();
    std::unique_lock<std::mutex> call(callLock_, std::try_to_lock);
    if (!call.owns_lock()) return serial();
    Job job;
    job.body = &body;
    job.parts = parts;
    {
      std::lock_guard<std::mutex> lk(m_);
      job_ = &job;
      generation_++;
    }
    cv_.notify_all();
    work(job);
    {
      // No worker may enter the job after this; wait for those inside it.
      std::unique_lock<std::mutex> lk(m_);
      job_ = nullptr;
      done_.wait(lk, [&] { return job.active.load() == 0; });
    }
  }

 private:
  static void work(Job& job) {
    inBody = true;
    for (int64_t p; (p = job.next.fetch_add(1)) < job.parts;) (*job.body)(p);
    inBody = false;
  }

  void loop(int id) {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lk(m_);
    for (;;) {
      cv_.wait(lk, [&] { return id >= wanted_ || (job_ != nullptr && generation_ != seen); });
      if (id >= wanted_) {
        started_--;
        return;
      }
      seen = generation_;
      Job* job = job_;
      job->active++;
      lk.unlock();
      work(*job);
      lk.lock();
      if (--job->active == 0) done_.notify_all();
    }
  }

  static thread_local bool inBody;
  std::mutex callLock_;  // one call at a time uses the workers
  std::mutex m_;
  std::condition_variable cv_, done_;
  Job* job_ = nullptr;
  uint64_t generation_ = 0;
  int wanted_ = 0;
  std::atomic<int> started_{0};
  std::atomic<int> threads_{1};
};

thread_local bool Pool::inBody = false;

// Never destroyed: its detached threads may still be waiting on its condition variable at exit.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

}  // namespace

void setKernelThreads(int n) { pool().resize(n); }
int kernelThreads() { return pool().threads(); }
void parallelFor(int64_t parts, const std::function<void(int64_t)>& body) { pool().run(parts, body); }

int64_t partsFor(int64_t units, int64_t minUnits) {
  const int64_t t = kernelThreads();
  if (t == 1 || units <= minUnits) return 1;
  return std::min<int64_t>(std::max<int64_t>(units / std::max<int64_t>(minUnits, 1), 1), 4 * t);
}

}  // namespace lethe
