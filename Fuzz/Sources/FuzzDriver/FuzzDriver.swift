/// libFuzzer's entry point for one input.
public typealias FuzzOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: FuzzOneInput
) -> CInt

/// SwiftPM links executables on Linux with `main` aliased to `<Target>_main`; each fuzz target
/// defines that symbol and hands control to libFuzzer's driver through this function.
public func runLibFuzzer(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
  _ callback: FuzzOneInput
) -> CInt {
  var argc = argc
  var argv = argv
  return llvmFuzzerRunDriver(&argc, &argv, callback)
}
