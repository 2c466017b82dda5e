# SPDX-License-Identifier: MIT
# Install rules and the Debian packages (CPack DEB, one package per component):
#   reservo-ws       the service, its systemd unit and environment file, the Grafana dashboard
#                    and Prometheus alerts
#   reservo-monitor  the staff desktop app with its menu entry and icon
#   reservo-tools    reservo-events-sim, reservo-watch, reservo-bench
# scripts/package.sh configures a Release build with CMAKE_INSTALL_PREFIX=/usr and runs cpack.
# Package dependencies come from dpkg-shlibdeps, so they follow what the binaries really link.
include(GNUInstallDirs)

# Debian 12 keeps units in /lib/systemd/system (files may not move to /usr/lib in bookworm);
# systemd's pkg-config file (package systemd) says where, for a /usr prefix. Elsewhere they stay
# under the prefix.
set(RESERVO_SYSTEMD_UNIT_DIR "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(RESERVO_SYSTEMD_UNIT_DIR /lib/systemd/system)
  pkg_get_variable(_reservo_unit_dir systemd systemdsystemunitdir)
  if(_reservo_unit_dir)
    set(RESERVO_SYSTEMD_UNIT_DIR "${_reservo_unit_dir}")
  endif()
endif()
set(RESERVO_ENV_FILE "${CMAKE_INSTALL_FULL_SYSCONFDIR}/default/reservo-ws")
set(RESERVO_BIN_DIR "${CMAKE_INSTALL_FULL_BINDIR}")
set(RESERVO_DOC_DIR "${CMAKE_INSTALL_FULL_DATADIR}/doc/reservo-ws")
configure_file(deploy/systemd/reservo-ws.service.in reservo-ws.service @ONLY)

# The service.
install(TARGETS reservo-ws RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ws)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/reservo-ws.service
        DESTINATION ${RESERVO_SYSTEMD_UNIT_DIR} COMPONENT ws)
# Root only: it may hold JWT_SECRET. systemd reads it before dropping privileges.
install(FILES deploy/systemd/reservo-ws.default DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/default
        RENAME reservo-ws PERMISSIONS OWNER_READ OWNER_WRITE COMPONENT ws)
install(FILES deploy/grafana/reservo-ws.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/reservo-ws/grafana COMPONENT ws)
install(FILES deploy/prometheus/alerts.yml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/reservo-ws/prometheus COMPONENT ws)
install(FILES README.md docs/DEPLOYMENT.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/reservo-ws
        COMPONENT ws)

# The staff monitor.
install(TARGETS reservo-monitor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT monitor)
install(FILES deploy/desktop/reservo-monitor.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT monitor)
install(FILES deploy/desktop/reservo-monitor.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT monitor)

# The tools.
install(TARGETS reservo-events-sim reservo-watch reservo-bench
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tools)

# Debian wants the licence of every package in its own doc directory.
set(_reservo_packages ws reservo-ws monitor reservo-monitor tools reservo-tools)
while(_reservo_packages)
  list(POP_FRONT _reservo_packages _component _package)
  install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${_package} RENAME copyright
          COMPONENT ${_component})
  string(TOUPPER ${_component} _upper)
  set(CPACK_DEBIAN_${_upper}_PACKAGE_NAME ${_package})
endwhile()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME reservo)
set(CPACK_PACKAGE_VENDOR "Reservo")
set(CPACK_PACKAGE_CONTACT "Reservo Live maintainers <reservo-live@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ws monitor tools)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Maintainer scripts must be executable in the package whatever the checkout's file modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_WS_DESCRIPTION "Reservo Live real-time seat service
reservo-ws fans the seat changes that the Reservo events service publishes on NATS out to every
browser watching the event, over Socket.IO v5 (WebSocket and HTTP long-polling). It runs as the
systemd service reservo-ws, configured in /etc/default/reservo-ws. A Grafana dashboard and
Prometheus alerts are in /usr/share/reservo-ws.")
# dpkg keeps an administrator's edits of a conffile across upgrades.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/debian/conffiles "${RESERVO_ENV_FILE}\n")
set(CPACK_DEBIAN_WS_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_BINARY_DIR}/debian/conffiles
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_MONITOR_DESCRIPTION "Reservo Live staff monitor
reservo-monitor is a desktop app that connects to reservo-ws like any browser and shows the live
seat maps of one or more events.")
set(CPACK_DEBIAN_MONITOR_PACKAGE_SECTION x11)
set(CPACK_DEBIAN_TOOLS_DESCRIPTION "Reservo Live tools: events simulator, watcher and load generator
reservo-events-sim stands in for the events service on NATS; reservo-watch prints the live seat
changes of events as a browser receives them; reservo-bench is the load generator behind the
performance figures.")
include(CPack)
