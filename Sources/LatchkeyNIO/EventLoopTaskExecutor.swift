public import NIOCore

/// A Swift task executor that runs jobs on one NIO event loop (SE-0417 task executor
/// preference).
///
/// A task that prefers it runs where its connection's I/O happens: reading the next part of a
/// request, writing a response and reading an upstream's answer no longer wake another thread.
/// Only for work that never blocks: everything else on that loop waits while a job runs.
public final class EventLoopTaskExecutor: TaskExecutor {
  public let eventLoop: any EventLoop

  public init(_ eventLoop: any EventLoop) {
    self.eventLoop = eventLoop
  }

  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    eventLoop.execute {
      job.runSynchronously(on: self.asUnownedTaskExecutor())
    }
  }
}
