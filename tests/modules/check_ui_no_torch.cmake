# The module rule the build enforces: ui/ never includes LibTorch.
#   cmake -DSOURCE_DIR=... -DBUILD_DIR=... -P check_ui_no_torch.cmake
# 1. No file in ui/ names a LibTorch header.
file(GLOB ui_files "${SOURCE_DIR}/ui/*.h" "${SOURCE_DIR}/ui/*.cpp")
foreach(f ${ui_files})
  file(STRINGS "${f}" hits REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](torch|ATen|c10|caffe2)/")
  if(hits)
    message(FATAL_ERROR "${f} includes LibTorch: ${hits}")
  endif()
endforeach()
# 2. With lmwb_ui's include paths a LibTorch include does not compile, while
#    the engine's torch-free headers do (the control).
execute_process(COMMAND ${CMAKE_COMMAND} --build "${BUILD_DIR}" --target lmwb_ui_control_probe
  RESULT_VARIABLE control_rc OUTPUT_VARIABLE control_out ERROR_VARIABLE control_out)
if(NOT control_rc EQUAL 0)
  message(FATAL_ERROR "the control probe should compile with lmwb_ui's include paths:\n${control_out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${BUILD_DIR}" --target lmwb_ui_torch_probe
  RESULT_VARIABLE probe_rc OUTPUT_VARIABLE probe_out ERROR_VARIABLE probe_out)
if(probe_rc EQUAL 0)
  message(FATAL_ERROR "a ui file including <torch/torch.h> compiled: LibTorch's include paths reach ui/")
endif()
if(NOT probe_out MATCHES "torch/torch.h: No such file")
  message(FATAL_ERROR "the torch probe failed for another reason:\n${probe_out}")
endif()
message(STATUS "ui/ cannot include LibTorch")
